import { useState } from 'react'
import type { Verdict } from '../../../../shared/model/verdict'
import { useDeliveries } from '../../app/services-context'

type Props = { deliveryId: string } & Pick<Verdict, 'expectedPrefix' | 'received'>

/**
 * The signature Hookscope computed next to the ones the request carried. The verdict keeps only the
 * first characters of the computed one (the whole value would be a signature under the real key for
 * any body someone posts); "Show whole" asks the engine to compute it, which needs the keyring unlocked.
 */
export function SignatureValues({ deliveryId, expectedPrefix, received }: Props) {
  const expectedSignature = useDeliveries((s) => s.expectedSignature)
  const [whole, setWhole] = useState<{ value: string | null; error: string | null; busy: boolean }>({ value: null, error: null, busy: false })
  if (expectedPrefix === undefined && (received === undefined || received.length === 0)) return null
  const list = received ?? []
  const reveal = async () => {
    setWhole({ value: null, error: null, busy: true })
    const outcome = await expectedSignature(deliveryId)
    setWhole(
      outcome.ok
        ? { value: outcome.value, error: outcome.value === null ? 'no signature to compute any more' : null, busy: false }
        : { value: null, error: outcome.error, busy: false }
    )
  }
  // Against the whole value once shown; before that, only the prefix can be compared.
  const matches = (signature: string) =>
    whole.value !== null ? signature === whole.value : expectedPrefix !== undefined && signature.startsWith(expectedPrefix)
  return (
    <section>
      <div className="section-title">Signatures</div>
      <table className="kv-table signature-values" data-testid="signature-values">
        <tbody>
          <tr>
            <th scope="row">Expected</th>
            <td className="mono" data-testid="signature-expected">
              {whole.value ?? (expectedPrefix !== undefined ? `${expectedPrefix}…` : <span className="muted">not computed</span>)}
              {expectedPrefix !== undefined && whole.value === null && (
                <>
                  {' '}
                  <button type="button" className="btn btn-small" data-testid="show-expected" disabled={whole.busy} onClick={() => void reveal()}>
                    {whole.busy ? 'Computing…' : 'Show whole'}
                  </button>
                </>
              )}
              {whole.error && (
                <span className="field-error" role="alert" data-testid="show-expected-error">
                  {' '}
                  {whole.error}
                </span>
              )}
            </td>
          </tr>
          {list.length === 0 ? (
            <tr>
              <th scope="row">Received</th>
              <td className="muted">none</td>
            </tr>
          ) : (
            list.map((signature, index) => {
              const match = matches(signature)
              const note = match ? (whole.value !== null ? ' ✓ matches' : ' ✓ same first characters') : ' ✗ differs'
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the received signatures are immutable and may repeat; their position is their identity
                <tr key={index}>
                  <th scope="row">{list.length > 1 ? `Received ${index + 1}` : 'Received'}</th>
                  <td className={match ? 'mono sig-match' : 'mono sig-differs'} data-testid="signature-received" data-match={match}>
                    {signature}
                    <span className="sig-note">{note}</span>
                  </td>
                </tr>
              )
            })
          )}
        </tbody>
      </table>
    </section>
  )
}

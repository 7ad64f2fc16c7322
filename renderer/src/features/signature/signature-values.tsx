import type { Verdict } from '../../../../shared/model/verdict'

/** The signature Hookscope computed next to the ones the request carried. */
export function SignatureValues({ expected, received }: Pick<Verdict, 'expected' | 'received'>) {
  if (expected === undefined && (received === undefined || received.length === 0)) return null
  const list = received ?? []
  return (
    <section>
      <div className="section-title">Signatures</div>
      <table className="kv-table signature-values" data-testid="signature-values">
        <tbody>
          <tr>
            <th scope="row">Expected</th>
            <td className="mono" data-testid="signature-expected">
              {expected ?? <span className="muted">not computed</span>}
            </td>
          </tr>
          {list.length === 0 ? (
            <tr>
              <th scope="row">Received</th>
              <td className="muted">none</td>
            </tr>
          ) : (
            list.map((signature, index) => {
              const match = expected !== undefined && signature === expected
              return (
                <tr key={index}>
                  <th scope="row">{list.length > 1 ? `Received ${index + 1}` : 'Received'}</th>
                  <td className={match ? 'mono sig-match' : 'mono sig-differs'} data-testid="signature-received" data-match={match}>
                    {signature}
                    <span className="sig-note">{match ? ' ✓ matches' : ' ✗ differs'}</span>
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

import type { Verdict } from '../../../../shared/model/verdict'

/** API key / Basic / Bearer: what the key expects and what came in, both already masked by the engine. */
export function CredentialView({ credential }: { credential: NonNullable<Verdict['credential']> }) {
  return (
    <section>
      <div className="section-title">
        <span>Credential</span>
        <span className="muted">{credential.kind}</span>
      </div>
      <table className="kv-table" data-testid="credential-view">
        <tbody>
          <tr>
            <th scope="row">Expected</th>
            <td className="mono" data-testid="credential-expected">
              {credential.expected}
            </td>
          </tr>
          <tr>
            <th scope="row">Received</th>
            <td className="mono" data-testid="credential-received">
              {credential.received ?? <span className="muted">none</span>}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  )
}

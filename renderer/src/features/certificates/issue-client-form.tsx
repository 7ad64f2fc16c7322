import { type FormEvent, useState } from 'react'
import { CLIENT_CERT_VALIDITY_DAYS } from '../../../../shared/model/tls'
import { useCertificates } from '../../app/services-context'

/** The contract's rule for issued names (shared/api/contract.ts). */
const NAME = /^[A-Za-z0-9 ._-]{1,64}$/

/** A client certificate from the local CA: endpoints that trust "Local CA" accept it. */
export function IssueClientForm({ onClose }: { onClose: () => void }) {
  const issueClient = useCertificates((s) => s.issueClient)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [issued, setIssued] = useState<string | null>(null)
  const trimmed = name.trim()
  const valid = NAME.test(trimmed)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid || busy) return
    setBusy(true)
    setError(null)
    setIssued(null)
    const outcome = await issueClient(trimmed)
    setBusy(false)
    if (!outcome.ok) return setError(outcome.error)
    setIssued(outcome.value.name)
    setName('')
  }

  return (
    <form className="card" data-testid="issue-client-form" onSubmit={(event) => void submit(event)}>
      <div className="card-title">
        <h2>Issue a client certificate</h2>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="muted" data-testid="issue-client-validity">
        Signed by the local CA, valid for {CLIENT_CERT_VALIDITY_DAYS} days (two years), for a sender to present to an mTLS endpoint. Download it from its row as
        PEM files or a .p12.
      </p>
      <div className="inline-fields">
        <input
          className="grow"
          data-testid="issue-client-name"
          placeholder="Name (the certificate's CN), e.g. acme-sender"
          aria-label="Certificate name"
          maxLength={64}
          value={name}
          aria-invalid={trimmed !== '' && !valid}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="issue-client-submit" disabled={!valid || busy}>
          {busy ? 'Issuing…' : 'Issue'}
        </button>
      </div>
      {trimmed !== '' && !valid && <span className="field-error">Letters, digits, space, dot, underscore and dash; at most 64.</span>}
      {error && (
        <div className="error-banner" role="alert" data-testid="issue-client-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      {issued && (
        <p className="success-text" data-testid="issue-client-done">
          Issued “{issued}”: download it from its row under Client certificates.
        </p>
      )}
    </form>
  )
}

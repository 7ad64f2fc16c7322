import { type FormEvent, useState } from 'react'
import { useCertificates } from '../../app/services-context'
import { PemFileButton } from './pem-file-button'

/** CA certificates whose client certificates an endpoint may accept (ticked per endpoint). */
export function ImportIssuerForm({ onClose }: { onClose: () => void }) {
  const importIssuer = useCertificates((s) => s.importIssuer)
  const [pem, setPem] = useState('')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [imported, setImported] = useState<string[] | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (pem.trim() === '' || busy) return
    setBusy(true)
    setError(null)
    setImported(null)
    const outcome = await importIssuer(pem.trim(), name.trim() || undefined)
    setBusy(false)
    if (!outcome.ok) return setError(outcome.error)
    setImported(outcome.value.map((cert) => cert.name))
    setPem('')
    setName('')
  }

  return (
    <form className="card" data-testid="import-issuer-form" onSubmit={(event) => void submit(event)}>
      <div className="card-title">
        <h2>Import trusted issuers</h2>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="muted">
        One or more CA certificates (PEM). Then tick them in an mTLS endpoint's TLS settings to accept the client certificates they issued.
      </p>
      <textarea
        className="mono full-width"
        rows={5}
        data-testid="import-issuer-pem"
        placeholder="-----BEGIN CERTIFICATE-----"
        spellCheck={false}
        value={pem}
        onChange={(event) => setPem(event.target.value)}
      />
      <div className="inline-fields">
        <PemFileButton testId="import-issuer-file" onText={setPem} onError={setError} disabled={busy} />
        <input
          className="grow"
          data-testid="import-issuer-name"
          placeholder="Name (optional: the CN)"
          aria-label="Name"
          maxLength={64}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="import-issuer-submit" disabled={pem.trim() === '' || busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error && (
        <div className="error-banner" role="alert" data-testid="import-issuer-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      {imported && (
        <p className="success-text" data-testid="import-issuer-done">
          Trusted issuers now include: {imported.join(', ')}.
        </p>
      )}
    </form>
  )
}

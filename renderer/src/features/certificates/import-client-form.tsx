import { type FormEvent, useState } from 'react'
import { useCertificates } from '../../app/services-context'
import { PemFileButton } from './pem-file-button'

/** A client certificate the user already has (a provider's test certificate, say), with its key. */
export function ImportClientForm({ onClose }: { onClose: () => void }) {
  const importClient = useCertificates((s) => s.importClient)
  const [certPem, setCertPem] = useState('')
  const [keyPem, setKeyPem] = useState('')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [imported, setImported] = useState<string | null>(null)
  const valid = certPem.trim() !== '' && keyPem.trim() !== ''

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid || busy) return
    setBusy(true)
    setError(null)
    setImported(null)
    const outcome = await importClient({ certPem: certPem.trim(), keyPem: keyPem.trim(), name: name.trim() || undefined })
    setBusy(false)
    if (!outcome.ok) return setError(outcome.error)
    setImported(outcome.value.name)
    // The key leaves the page with the form fields.
    setCertPem('')
    setKeyPem('')
    setName('')
  }

  return (
    <form className="card" data-testid="import-client-form" onSubmit={(event) => void submit(event)}>
      <div className="card-title">
        <h2>Import a client certificate</h2>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="muted">The certificate (its chain may follow it) and its private key, as PEM. The key is sealed in the keyring.</p>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Certificate (PEM)</span>
          <textarea
            className="mono"
            rows={5}
            data-testid="import-client-cert"
            placeholder="-----BEGIN CERTIFICATE-----"
            spellCheck={false}
            value={certPem}
            onChange={(event) => setCertPem(event.target.value)}
          />
          <PemFileButton testId="import-client-cert-file" onText={setCertPem} onError={setError} disabled={busy} />
        </label>
        <label className="field">
          <span className="field-label">Private key (PEM)</span>
          <textarea
            className="mono"
            rows={5}
            data-testid="import-client-key"
            placeholder="-----BEGIN PRIVATE KEY-----"
            spellCheck={false}
            autoComplete="off"
            value={keyPem}
            onChange={(event) => setKeyPem(event.target.value)}
          />
          <PemFileButton testId="import-client-key-file" onText={setKeyPem} onError={setError} disabled={busy} />
        </label>
      </div>
      <div className="inline-fields">
        <input
          className="grow"
          data-testid="import-client-name"
          placeholder="Name (optional: the certificate's CN)"
          aria-label="Name"
          maxLength={64}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="btn btn-primary" data-testid="import-client-submit" disabled={!valid || busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error && (
        <div className="error-banner" role="alert" data-testid="import-client-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      {imported && (
        <p className="success-text" data-testid="import-client-done">
          Imported “{imported}”.
        </p>
      )}
    </form>
  )
}

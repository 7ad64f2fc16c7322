import { type FormEvent, useState } from 'react'
import { useKeys } from '../../app/services-context'
import { SecretInput } from '../../components/secret-input'
import { downloadText } from '../../lib/download'

const MIN_LENGTH = 8
export const BUNDLE_FILE_NAME = 'hookscope-keyring.bundle'

/** Every key, material included, encrypted under a passphrase chosen here, saved as a file. */
export function ExportKeysForm({ onClose }: { onClose: () => void }) {
  const exportBundle = useKeys((s) => s.exportBundle)
  const keyCount = useKeys((s) => s.keys.length)
  const [passphrase, setPassphrase] = useState('')
  const [confirm, setConfirm] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState(false)

  const valid = passphrase.length >= MIN_LENGTH && confirm === passphrase

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid || busy) return
    setBusy(true)
    setError(null)
    setDone(false)
    const outcome = await exportBundle(passphrase)
    setBusy(false)
    if (!outcome.ok) return setError(outcome.error)
    downloadText(outcome.value, BUNDLE_FILE_NAME)
    setPassphrase('')
    setConfirm('')
    setDone(true)
  }

  return (
    <form className="card" data-testid="export-form" onSubmit={(event) => void submit(event)}>
      <div className="card-title">
        <h2>Export keys</h2>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="muted">
        Saves all {keyCount} {keyCount === 1 ? 'key' : 'keys'} as <code>{BUNDLE_FILE_NAME}</code>, encrypted (scrypt + AES-256-GCM) under the passphrase below.
        Import it here or on another machine.
      </p>
      <div className="inline-fields">
        <SecretInput
          value={passphrase}
          onChange={setPassphrase}
          testId="export-passphrase"
          placeholder={`Passphrase (at least ${MIN_LENGTH} characters)`}
          maxLength={1024}
          aria-invalid={passphrase.length > 0 && passphrase.length < MIN_LENGTH}
        />
        <SecretInput
          value={confirm}
          onChange={setConfirm}
          testId="export-passphrase-confirm"
          placeholder="Confirm"
          maxLength={1024}
          aria-invalid={confirm.length > 0 && confirm !== passphrase}
        />
        <button type="submit" className="btn btn-primary" data-testid="export-submit" disabled={!valid || busy}>
          {busy ? 'Encrypting…' : 'Export'}
        </button>
      </div>
      {confirm.length > 0 && confirm !== passphrase && <span className="field-error">The passphrases differ.</span>}
      {error && (
        <div className="error-banner" role="alert" data-testid="export-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      {done && (
        <p className="success-text" data-testid="export-done">
          Saved {BUNDLE_FILE_NAME}.
        </p>
      )}
    </form>
  )
}

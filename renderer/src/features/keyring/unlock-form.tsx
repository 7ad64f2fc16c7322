import { type FormEvent, useState } from 'react'
import { useKeys } from '../../app/services-context'
import { SecretInput } from '../../components/secret-input'

/** The vault is set up but its data key is not in memory: ask for the passphrase. */
export function UnlockForm() {
  const unlock = useKeys((s) => s.unlock)
  const keyCount = useKeys((s) => s.keys.length)
  const [passphrase, setPassphrase] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (passphrase === '' || busy) return
    setBusy(true)
    setError(null)
    const outcome = await unlock(passphrase)
    setBusy(false)
    if (outcome.ok) setPassphrase('')
    else setError(outcome.error)
  }

  return (
    <form className="card vault-form" data-testid="unlock-form" onSubmit={(event) => void submit(event)}>
      <h2>Unlock the keyring</h2>
      <p className="muted">
        {keyCount === 0 ? 'The keyring is locked.' : `The keyring holds ${keyCount} ${keyCount === 1 ? 'key' : 'keys'}.`} While it is locked, deliveries are not
        verified (they show as unchecked).
      </p>
      <label className="field">
        <span className="field-label">Passphrase</span>
        <SecretInput value={passphrase} onChange={setPassphrase} testId="unlock-passphrase" maxLength={1024} autoFocus aria-invalid={error !== null} />
      </label>
      {error && (
        <div className="error-banner" role="alert" data-testid="unlock-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="unlock-submit" disabled={passphrase === '' || busy}>
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  )
}

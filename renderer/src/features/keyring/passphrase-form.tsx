import { type FormEvent, useState } from 'react'
import { useKeys } from '../../app/services-context'
import { SecretInput } from '../../components/secret-input'

const MIN_LENGTH = 8

interface PassphraseFormProps {
  /** Heading and button wording: setting the vault up, or changing/adding its passphrase. */
  mode: 'setup' | 'change'
  onDone?: () => void
}

/** Sets the vault's passphrase, typed twice. The engine's refusal (too short, locked...) shows inline. */
export function PassphraseForm({ mode, onDone }: PassphraseFormProps) {
  const setPassphrase = useKeys((s) => s.setPassphrase)
  const [passphrase, setValue] = useState('')
  const [confirm, setConfirm] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const tooShort = passphrase.length > 0 && passphrase.length < MIN_LENGTH
  const mismatch = confirm.length > 0 && confirm !== passphrase
  const valid = passphrase.length >= MIN_LENGTH && confirm === passphrase

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid || busy) return
    setBusy(true)
    setError(null)
    const outcome = await setPassphrase(passphrase)
    setBusy(false)
    if (!outcome.ok) return setError(outcome.error)
    setValue('')
    setConfirm('')
    onDone?.()
  }

  return (
    <form className="card vault-form" data-testid="passphrase-form" onSubmit={(event) => void submit(event)}>
      <h2>{mode === 'setup' ? 'Set up the keyring' : 'Change the passphrase'}</h2>
      <p className="muted">
        {mode === 'setup'
          ? 'Key material is stored encrypted. Choose a passphrase to protect it; you will need it to unlock the keyring after a restart.'
          : 'The keyring data key is re-wrapped under the new passphrase; keys are not re-encrypted.'}
      </p>
      <label className="field">
        <span className="field-label">Passphrase</span>
        <SecretInput
          value={passphrase}
          onChange={setValue}
          testId="passphrase-input"
          aria-invalid={tooShort}
          placeholder={`At least ${MIN_LENGTH} characters`}
          maxLength={1024}
          autoFocus
        />
        {tooShort && <span className="field-error">At least {MIN_LENGTH} characters.</span>}
      </label>
      <label className="field">
        <span className="field-label">Confirm passphrase</span>
        <SecretInput value={confirm} onChange={setConfirm} testId="passphrase-confirm-input" aria-invalid={mismatch} maxLength={1024} />
        {mismatch && <span className="field-error">The passphrases differ.</span>}
      </label>
      {error && (
        <div className="error-banner" role="alert" data-testid="passphrase-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="passphrase-submit" disabled={!valid || busy}>
          {busy ? 'Saving…' : mode === 'setup' ? 'Create keyring' : 'Change passphrase'}
        </button>
        {onDone && mode === 'change' && (
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        )}
      </div>
    </form>
  )
}

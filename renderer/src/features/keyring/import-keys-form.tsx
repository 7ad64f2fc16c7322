import { type ChangeEvent, type FormEvent, useState } from 'react'
import type { KeyImportResult } from '../../../../shared/api/contract'
import { useKeys } from '../../app/services-context'
import { SecretInput } from '../../components/secret-input'
import { readImportFile } from './import-file'

/** Imports a plaintext keyring JSON file, or an encrypted bundle with its passphrase. */
export function ImportKeysForm({ onClose }: { onClose: () => void }) {
  const importKeyring = useKeys((s) => s.importKeyring)
  const importBundle = useKeys((s) => s.importBundle)
  const [bundle, setBundle] = useState('')
  const [passphrase, setPassphrase] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<KeyImportResult | null>(null)

  const finish = (outcome: { ok: true; value: KeyImportResult } | { ok: false; error: string }) => {
    setBusy(false)
    if (outcome.ok) setResult(outcome.value)
    else setError(outcome.error)
  }

  const pickFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget
    const file = input.files?.[0]
    // Cleared so picking the same file again fires change again.
    input.value = ''
    if (!file) return
    setError(null)
    setResult(null)
    const source = readImportFile(await file.text())
    if (source.kind === 'invalid') return setError(source.error)
    if (source.kind === 'bundle') {
      // An encrypted bundle: it needs its passphrase before the engine can open it.
      setBundle(source.bundle)
      return
    }
    setBusy(true)
    finish(await importKeyring(source.keyring))
  }

  const submitBundle = async (event: FormEvent) => {
    event.preventDefault()
    if (bundle.trim() === '' || passphrase === '' || busy) return
    setBusy(true)
    setError(null)
    setResult(null)
    const outcome = await importBundle(bundle.trim(), passphrase)
    if (outcome.ok) setPassphrase('')
    finish(outcome)
  }

  return (
    <div className="card" data-testid="import-form">
      <div className="card-title">
        <h2>Import keys</h2>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="import-options">
        <div className="import-option">
          <div className="field-label">Keyring file (plaintext JSON)</div>
          <p className="field-hint">
            <code>{'{"keys": [{"scheme": "…", "secret": "…"}, …]}'}</code>, the format <code>hookscope verify --keyring</code> reads. An encrypted bundle picked
            here goes to the box on the right.
          </p>
          <input
            type="file"
            accept=".json,.bundle,application/json,text/plain"
            data-testid="import-file"
            disabled={busy}
            onChange={(event) => void pickFile(event)}
          />
        </div>
        <form className="import-option" onSubmit={(event) => void submitBundle(event)}>
          <div className="field-label">Encrypted bundle</div>
          <textarea
            className="mono"
            rows={3}
            value={bundle}
            placeholder="hookscope-keyring-v1.…"
            spellCheck={false}
            data-testid="import-bundle-text"
            onChange={(event) => setBundle(event.target.value)}
          />
          <div className="inline-fields">
            <SecretInput value={passphrase} onChange={setPassphrase} testId="import-bundle-passphrase" placeholder="Bundle passphrase" maxLength={1024} />
            <button type="submit" className="btn btn-primary" data-testid="import-bundle-submit" disabled={busy || bundle.trim() === '' || passphrase === ''}>
              {busy ? 'Importing…' : 'Import bundle'}
            </button>
          </div>
        </form>
      </div>
      {error && (
        <div className="error-banner" role="alert" data-testid="import-error">
          <span className="error-text">{error}</span>
        </div>
      )}
      {result && <ImportResultView result={result} />}
    </div>
  )
}

function ImportResultView({ result }: { result: KeyImportResult }) {
  return (
    <div className="import-result" data-testid="import-result" data-imported={result.imported} data-skipped={result.skipped.length}>
      <p>
        Imported {result.imported} {result.imported === 1 ? 'key' : 'keys'}
        {result.skipped.length > 0 ? `; skipped ${result.skipped.length}:` : '.'}
      </p>
      {result.skipped.length > 0 && (
        <ul className="skipped-list">
          {result.skipped.map((item) => (
            <li key={item.index} data-testid="import-skipped">
              Entry #{item.index + 1}: {item.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

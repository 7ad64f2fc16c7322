import { type FormEvent, useState } from 'react'
import type { CertificateFile } from '../../../../shared/api/contract'
import { SecretInput } from '../../components/secret-input'
import { downloadBase64 } from '../../lib/download'

export type ExportState =
  | { kind: 'closed' }
  | { kind: 'loading' }
  | { kind: 'files'; files: CertificateFile[] }
  | { kind: 'error'; message: string }
  | { kind: 'p12' }

/** The contract's bound for PKCS#12 passwords. */
const MIN_P12_PASSWORD = 4

interface ExportPanelProps {
  state: Exclude<ExportState, { kind: 'closed' }>
  name: string
  onClose: () => void
  /** Resolves with the file, or the engine's sentence. */
  exportP12: (password: string) => Promise<CertificateFile[] | string>
}

/** A client certificate's files, one Save each (a desktop save dialog per file, not three at once). */
export function ExportPanel({ state, name, onClose, exportP12 }: ExportPanelProps) {
  return (
    <div className="export-panel" data-testid="cert-export-panel">
      <div className="section-title">
        <span>{state.kind === 'p12' ? `“${name}” as PKCS#12` : `“${name}” as PEM files`}</span>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" data-testid="cert-export-close" onClick={onClose}>
          ×
        </button>
      </div>
      {state.kind === 'loading' && <span className="muted">Preparing…</span>}
      {state.kind === 'error' && (
        <span className="field-error" role="alert" data-testid="cert-export-error">
          {state.message}
        </span>
      )}
      {state.kind === 'files' && <FileList files={state.files} />}
      {state.kind === 'p12' && <P12Form exportP12={exportP12} />}
    </div>
  )
}

function FileList({ files }: { files: CertificateFile[] }) {
  return (
    <>
      <ul className="export-files">
        {files.map((file) => (
          <li key={file.fileName}>
            <code>{file.fileName}</code>
            <span className="muted small">{describeFile(file.fileName)}</span>
            <button
              type="button"
              className="btn btn-small"
              data-testid="cert-file-save"
              data-file={file.fileName}
              onClick={() => downloadBase64(file.contentBase64, file.fileName)}
            >
              Save
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small">The key file is not encrypted: keep it private. curl: --cert NAME.crt.pem --key NAME.key.pem --cacert the CA file.</p>
    </>
  )
}

function describeFile(fileName: string): string {
  if (fileName.endsWith('.key.pem')) return 'private key'
  if (fileName.endsWith('.crt.pem')) return 'certificate and chain'
  return 'the local CA certificate (to trust the server)'
}

function P12Form({ exportP12 }: { exportP12: ExportPanelProps['exportP12'] }) {
  const [password, setPassword] = useState('')
  const [confirm, setConfirm] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState<string | null>(null)
  const valid = password.length >= MIN_P12_PASSWORD && confirm === password

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid || busy) return
    setBusy(true)
    setError(null)
    setSaved(null)
    const answer = await exportP12(password)
    setBusy(false)
    if (typeof answer === 'string') return setError(answer)
    for (const file of answer) downloadBase64(file.contentBase64, file.fileName)
    setSaved(answer.map((file) => file.fileName).join(', '))
    setPassword('')
    setConfirm('')
  }

  return (
    <form onSubmit={(event) => void submit(event)} data-testid="cert-p12-form">
      <p className="muted small">Certificate, chain and key in one file, encrypted with this password (browsers, Postman, Windows import it).</p>
      <div className="inline-fields">
        <SecretInput
          value={password}
          onChange={setPassword}
          testId="cert-p12-password"
          placeholder={`Password (at least ${MIN_P12_PASSWORD} characters)`}
          maxLength={1024}
          aria-invalid={password.length > 0 && password.length < MIN_P12_PASSWORD}
        />
        <SecretInput
          value={confirm}
          onChange={setConfirm}
          testId="cert-p12-confirm"
          placeholder="Confirm"
          maxLength={1024}
          aria-invalid={confirm.length > 0 && confirm !== password}
        />
        <button type="submit" className="btn btn-primary" data-testid="cert-p12-submit" disabled={!valid || busy}>
          {busy ? 'Encrypting…' : 'Save .p12'}
        </button>
      </div>
      {confirm.length > 0 && confirm !== password && <span className="field-error">The passwords differ.</span>}
      {error && (
        <span className="field-error" role="alert" data-testid="cert-p12-error">
          {error}
        </span>
      )}
      {saved && (
        <p className="success-text" data-testid="cert-p12-done">
          Saved {saved}.
        </p>
      )}
    </form>
  )
}

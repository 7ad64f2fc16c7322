import { useState } from 'react'
import { useCertificates, useEndpoints } from '../../app/services-context'
import { CopyButton } from '../../components/copy-button'
import { downloadBase64 } from '../../lib/download'
import { formatDateTimeShort } from '../../lib/format'
import { Fingerprint } from './fingerprint'
import { StatusPill } from './status-pill'

type Step = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'busy' } | { kind: 'regenerated' }

/** The local CA: what it is, its downloads with the instructions to trust it, and regeneration. */
export function CaCard() {
  const ca = useCertificates((s) => s.certificates.find((cert) => cert.kind === 'ca') ?? null)
  const clientCount = useCertificates((s) => s.certificates.filter((cert) => cert.kind === 'client' && cert.issuedByLocalCa).length)
  const exportCa = useCertificates((s) => s.exportCa)
  const regenerateCa = useCertificates((s) => s.regenerateCa)
  const endpoints = useEndpoints((s) => s.endpoints)
  const [instructions, setInstructions] = useState<string | null>(null)
  const [busyFormat, setBusyFormat] = useState<'pem' | 'der' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const runningTls = endpoints.filter((endpoint) => endpoint.tls.mode !== 'http' && endpoint.state.status === 'listening')

  const download = async (format: 'pem' | 'der') => {
    setBusyFormat(format)
    setError(null)
    const outcome = await exportCa(format)
    setBusyFormat(null)
    if (!outcome.ok) return setError(outcome.error)
    downloadBase64(outcome.value.contentBase64, outcome.value.fileName)
    setInstructions(outcome.value.instructions)
  }

  const regenerate = async () => {
    setStep({ kind: 'busy' })
    setError(null)
    const outcome = await regenerateCa()
    if (!outcome.ok) {
      setStep({ kind: 'idle' })
      return setError(outcome.error)
    }
    // The downloaded instructions named the old CA.
    setInstructions(null)
    setStep({ kind: 'regenerated' })
  }

  return (
    <section className="card ca-card" data-testid="ca-card" data-present={ca !== null}>
      <div className="card-title">
        <h2>Local certificate authority</h2>
        {ca && <StatusPill status={ca.status} />}
        <span className="spacer" />
        <button type="button" className="btn" data-testid="ca-download-pem" disabled={busyFormat !== null} onClick={() => void download('pem')}>
          {busyFormat === 'pem' ? 'Preparing…' : 'Download CA (PEM)'}
        </button>
        <button type="button" className="btn" data-testid="ca-download-der" disabled={busyFormat !== null} onClick={() => void download('der')}>
          {busyFormat === 'der' ? 'Preparing…' : 'Download CA (DER)'}
        </button>
        <button
          type="button"
          className="btn"
          data-testid="ca-regenerate"
          disabled={ca === null || step.kind === 'busy' || step.kind === 'confirm'}
          onClick={() => setStep({ kind: 'confirm' })}
        >
          Regenerate…
        </button>
      </div>
      {ca ? (
        <dl className="ca-facts">
          <dt>Subject</dt>
          <dd data-testid="ca-subject">{ca.subject}</dd>
          <dt>Valid</dt>
          <dd>
            {formatDateTimeShort(ca.notBefore)} – {formatDateTimeShort(ca.notAfter)}
          </dd>
          <dt>SHA-256</dt>
          <dd>
            <Fingerprint value={ca.fingerprint256} testId="ca-fingerprint" />
          </dd>
        </dl>
      ) : (
        <p className="muted" data-testid="ca-absent">
          No local CA yet. It is created when the first HTTPS endpoint starts, the first client certificate is issued, or you download it.
        </p>
      )}
      <p className="muted small">
        HTTPS endpoints present server certificates this CA signs. Senders must trust it: download it and add it to the sender's trust store (or pass it as
        --cacert, NODE_EXTRA_CA_CERTS…).
      </p>

      {error && (
        <div className="error-banner" role="alert" data-testid="ca-error">
          <span className="error-text">{error}</span>
        </div>
      )}

      {step.kind === 'confirm' || step.kind === 'busy' ? (
        <div className="confirm-panel" data-testid="ca-regenerate-panel">
          <p>
            <strong>Replace the local CA with a new one?</strong>
          </p>
          <ul>
            <li>Every sender that trusts the current CA has to trust the new one: download it again.</li>
            <li>
              Client certificates it issued ({clientCount}) stop being trusted by endpoints that trust “Local CA”. The old CA is kept as a trusted issuer
              (without its key), which you can tick on an endpoint while senders move over.
            </li>
            <li>Running HTTPS endpoints restart at once, with server certificates from the new CA.</li>
          </ul>
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-danger"
              data-testid="ca-regenerate-confirm"
              disabled={step.kind === 'busy'}
              onClick={() => void regenerate()}
            >
              {step.kind === 'busy' ? 'Regenerating…' : 'Regenerate the CA'}
            </button>
            <button type="button" className="btn" data-testid="ca-regenerate-cancel" disabled={step.kind === 'busy'} onClick={() => setStep({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {step.kind === 'regenerated' && (
        <div className="success-panel" data-testid="ca-regenerated">
          <span>
            A new CA was generated{runningTls.length > 0 ? '; running HTTPS endpoints now present certificates from it' : ''}. Download it and trust it where
            your senders run.
          </span>
          <button type="button" className="btn-link" aria-label="Dismiss" onClick={() => setStep({ kind: 'idle' })}>
            ×
          </button>
        </div>
      )}

      {instructions && (
        <div className="ca-instructions" data-testid="ca-instructions-panel">
          <div className="section-title">
            <span>Trusting the CA</span>
            <span className="spacer" />
            <CopyButton text={instructions} label="Copy" testId="ca-instructions-copy" />
            <button type="button" className="btn-link" aria-label="Close" onClick={() => setInstructions(null)}>
              ×
            </button>
          </div>
          <pre className="code-block" data-testid="ca-instructions">
            {instructions}
          </pre>
        </div>
      )}
    </section>
  )
}

import type { CertFacts } from '../../../../shared/model/tls'
import { CopyButton } from '../../components/copy-button'
import { formatDateTimeShort } from '../../lib/format'

/** Leaf first. Every field is text from the peer's certificate: rendered as React text only. */
export function CertificateChain({ chain, at }: { chain: readonly CertFacts[]; at: number }) {
  if (chain.length === 0) return <p className="muted">No certificate was presented.</p>
  return (
    <ol className="cert-chain" data-testid="tls-chain">
      {chain.map((cert, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a presented chain is immutable and may repeat a certificate; its position is its identity
        <li key={`${cert.fingerprint256}-${index}`} className="cert-card" data-testid="tls-cert">
          <div className="cert-card-title">
            <span className="cert-role">{index === 0 ? 'Leaf' : index === chain.length - 1 ? 'Issuer' : `Intermediate ${index}`}</span>
            <span className="cert-subject" data-testid="tls-cert-subject">
              {cert.subject || '(empty subject)'}
            </span>
            <ValidityNote cert={cert} at={at} />
          </div>
          <dl className="cert-fields">
            <dt>Issuer</dt>
            <dd data-testid="tls-cert-issuer">{cert.issuer || '(empty issuer)'}</dd>
            <dt>Serial</dt>
            <dd className="mono">{cert.serial}</dd>
            <dt>SHA-256</dt>
            <dd className="fingerprint-cell">
              <span className="mono fingerprint" data-testid="tls-cert-fingerprint">
                {cert.fingerprint256}
              </span>
              <CopyButton text={cert.fingerprint256} label="Copy" testId="copy-fingerprint" />
            </dd>
            <dt>Valid</dt>
            <dd>
              {formatDateTimeShort(cert.validFrom)} – {formatDateTimeShort(cert.validTo)}
            </dd>
            <dt>SANs</dt>
            <dd className="mono">{cert.sans.length > 0 ? cert.sans.join(', ') : <span className="muted">none</span>}</dd>
          </dl>
        </li>
      ))}
    </ol>
  )
}

function ValidityNote({ cert, at }: { cert: CertFacts; at: number }) {
  if (at > cert.validTo) return <span className="cert-status cert-status-expired">expired at the time</span>
  if (at < cert.validFrom) return <span className="cert-status cert-status-not-yet-valid">not yet valid at the time</span>
  return null
}

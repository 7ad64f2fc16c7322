import type { TlsFacts } from '../../../../shared/model/tls'
import { CertificateChain } from './certificate-chain'
import { clientCertVerdict, VERDICT_LABELS } from './tls-format'

/** What a TLS connection negotiated and what the client certificate was judged: for deliveries and refused connections. */
export function TlsFactsView({ facts, at }: { facts: TlsFacts; at: number }) {
  const verdict = clientCertVerdict(facts)
  const chain = facts.chain.length > 0 ? facts.chain : facts.clientCert ? [facts.clientCert] : []
  return (
    <>
      <section className="tls-section">
        <div className="section-title">
          <span>Connection</span>
        </div>
        <dl className="meta-grid tls-grid" data-testid="tls-connection">
          <dt>Version</dt>
          <dd data-testid="tls-version">{facts.version ?? <span className="muted">unknown</span>}</dd>
          <dt>Cipher</dt>
          <dd className="mono" data-testid="tls-cipher">
            {facts.cipher ?? <span className="muted">unknown</span>}
          </dd>
          <dt>SNI</dt>
          <dd className="mono" data-testid="tls-sni">
            {facts.sni ?? <span className="muted">none sent</span>}
          </dd>
          <dt>ALPN</dt>
          <dd className="mono" data-testid="tls-alpn">
            {facts.alpn ?? <span className="muted">none negotiated</span>}
          </dd>
        </dl>
      </section>

      <section className="tls-section">
        <div className="section-title">
          <span>Client certificate</span>
        </div>
        <div className={`tls-verdict tls-verdict-${verdict}`} data-testid="tls-client-verdict" data-verdict={verdict} data-reason={facts.reason}>
          <div className="tls-verdict-head">
            <span className={`tls-pill tls-pill-${verdict}`}>{VERDICT_LABELS[verdict]}</span>
            {facts.clientCertRequested && (
              <code className="verdict-code" data-testid="tls-client-reason">
                {facts.reason}
              </code>
            )}
            {facts.clientCert && (
              <span className="tls-client-subject" data-testid="tls-client-subject">
                {facts.clientCert.subject}
              </span>
            )}
          </div>
          <p className="tls-verdict-detail" data-testid="tls-client-detail">
            {facts.clientCertRequested ? facts.detail : 'This endpoint does not ask for client certificates (https without mTLS).'}
          </p>
        </div>
      </section>

      {(facts.clientCertRequested || chain.length > 0) && (
        <section className="tls-section">
          <div className="section-title">
            <span>Certificate chain</span>
            <span className="muted">{chain.length === 0 ? '' : chain.length === 1 ? '1 certificate' : `${chain.length} certificates`}</span>
          </div>
          <CertificateChain chain={chain} at={at} />
        </section>
      )}
    </>
  )
}

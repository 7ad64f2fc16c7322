import type { RejectedConnection } from '../../../../shared/model/delivery'
import type { ClientHelloFacts } from '../../../../shared/model/tls'
import { useEndpoints, useNavigation, useRejected } from '../../app/services-context'
import { formatDateTime } from '../../lib/format'
import { TlsFactsView } from './tls-facts-view'
import { certificatesCanFix, formatRemote, rejectionHint } from './tls-format'

/**
 * A TLS connection refused before any request: why, what the ClientHello offered, and (for a
 * client certificate refusal, where the handshake completed) the negotiated facts and the chain.
 * Every string may come from the peer: rendered as React text only.
 */
export function RejectedDetail({ connection }: { connection: RejectedConnection }) {
  const endpointName = useEndpoints((s) => s.endpoints.find((e) => e.id === connection.endpointId)?.name ?? connection.endpointId)
  const go = useNavigation((s) => s.go)
  const close = useRejected((s) => s.select)
  const { code, reason, hello, facts } = connection.rejection

  return (
    <div className="delivery-detail rejected-detail" data-testid="rejected-detail" data-id={connection.id} data-code={code}>
      <div className="detail-toolbar">
        <div className="request-line">
          <span className="rejected-tag">REJECTED</span>
          <span className="request-url">TLS connection refused</span>
        </div>
        <button type="button" className="btn" data-testid="rejected-close" onClick={() => close(null)}>
          Close
        </button>
      </div>

      <div className="tls-panel">
        <div className="rejected-reason" data-testid="rejected-reason">
          <code className="verdict-code" data-testid="rejected-reason-code">
            {code}
          </code>
          <p className="rejected-sentence">{reason}</p>
          <p className="muted rejected-hint" data-testid="rejected-hint">
            {rejectionHint(code)}
          </p>
          {certificatesCanFix(code) && (
            <button type="button" className="link-button" data-testid="open-certificates" onClick={() => go('certificates')}>
              Open the Certificates page
            </button>
          )}
        </div>

        <dl className="meta-grid tls-grid" data-testid="rejected-meta">
          <dt>When</dt>
          <dd>{formatDateTime(connection.at)}</dd>
          <dt>From</dt>
          <dd className="mono" data-testid="rejected-remote">
            {formatRemote(connection.remoteAddress, connection.remotePort)}
          </dd>
          <dt>Endpoint</dt>
          <dd>{endpointName}</dd>
          <dt>ID</dt>
          <dd className="mono">{connection.id}</dd>
        </dl>

        <section className="tls-section">
          <div className="section-title">
            <span>ClientHello</span>
          </div>
          {hello ? <HelloFacts hello={hello} /> : <p className="muted">The ClientHello could not be read (the client sent something else, or nothing).</p>}
        </section>

        {facts ? (
          <TlsFactsView facts={facts} at={connection.at} />
        ) : (
          <p className="muted small">The handshake did not complete: no negotiated version, cipher or client certificate to show.</p>
        )}
      </div>
    </div>
  )
}

function HelloFacts({ hello }: { hello: ClientHelloFacts }) {
  return (
    <dl className="meta-grid tls-grid" data-testid="rejected-hello">
      <dt>Versions offered</dt>
      <dd data-testid="hello-versions">{hello.versions.length > 0 ? hello.versions.join(', ') : <span className="muted">none listed</span>}</dd>
      <dt>Highest</dt>
      <dd>{hello.maxVersion ?? <span className="muted">unknown</span>}</dd>
      <dt>SNI</dt>
      <dd className="mono" data-testid="hello-sni">
        {hello.sni ?? <span className="muted">none sent</span>}
      </dd>
      <dt>ALPN offered</dt>
      <dd className="mono" data-testid="hello-alpn">
        {hello.alpn.length > 0 ? hello.alpn.join(', ') : <span className="muted">none</span>}
      </dd>
    </dl>
  )
}

import { useMemo } from 'react'
import { decodeBase64 } from '../../../../shared/lib/base64'
import { detectBodyFormat } from '../../../../shared/lib/body-format'
import type { Delivery } from '../../../../shared/model/delivery'
import { MAX_RECORDED_RESPONSE_BYTES } from '../../../../shared/model/delivery'
import { RevealedText } from '../../components/revealed-text'
import { formatBytes } from '../../lib/format'
import { HeadersTable } from './headers-table'

/**
 * The answer the sender actually got (with the endpoint's failure rate, not always the configured
 * one): status, header lines and the first 64 KiB of the body, as text when it is text.
 */
export function ResponseSent({ delivery }: { delivery: Delivery }) {
  const { response } = delivery
  const body = useMemo(() => decodeBase64(response.bodyBase64), [response.bodyBase64])
  const format = detectBodyFormat(null, body)
  return (
    <details className="response-sent" data-testid="response-sent">
      <summary className="section-title">
        <span>Response sent</span>
        <span className="muted" data-testid="response-sent-status">
          {delivery.responseStatus}
        </span>
      </summary>
      <HeadersTable headers={response.headers} />
      {format === 'empty' ? (
        <p className="muted">No body.</p>
      ) : format === 'binary' ? (
        <p className="muted">{formatBytes(body.length)} of binary body (not shown).</p>
      ) : (
        <pre className="code-block" data-testid="response-sent-body">
          <RevealedText text={new TextDecoder().decode(body)} />
        </pre>
      )}
      {response.bodyTruncated && <p className="muted small">Only the first {formatBytes(MAX_RECORDED_RESPONSE_BYTES)} of the body are kept.</p>}
    </details>
  )
}

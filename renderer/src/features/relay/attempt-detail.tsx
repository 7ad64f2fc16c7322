import { useEffect, useMemo, useState } from 'react'
import { decodeBase64 } from '../../../../shared/lib/base64'
import { detectBodyFormat } from '../../../../shared/lib/body-format'
import type { Delivery, RawHeader } from '../../../../shared/model/delivery'
import type { Attempt } from '../../../../shared/model/relay'
import { VerdictBadge } from '../../components/verdict-badge'
import { formatBytes } from '../../lib/format'
import { OriginalRequestDiff } from '../diff/original-request-diff'
import { BodyPanel } from '../inspector/body-panel'
import { HeadersTable } from '../inspector/headers-table'
import { useRelay, useRelayStore } from './relay-hooks'

function contentTypeOf(headers: readonly RawHeader[] | null): string | null {
  return headers?.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? null
}

function Body({ base64, headers, testId }: { base64: string | null; headers: readonly RawHeader[] | null; testId: string }) {
  const bytes = useMemo(() => (base64 === null ? new Uint8Array(0) : decodeBase64(base64)), [base64])
  const contentType = contentTypeOf(headers)
  const format = useMemo(() => detectBodyFormat(contentType, bytes), [contentType, bytes])
  if (bytes.length === 0) return <p className="muted small">No body.</p>
  return (
    <div data-testid={testId}>
      <BodyPanel bytes={bytes} contentType={contentType} format={format} />
    </div>
  )
}

/**
 * The request as it was sent and the response as received: what a replay or a retry actually did.
 * Given the delivery it came from, the request as sent can be diffed against it.
 */
export function AttemptView({ attempt, original }: { attempt: Attempt; original?: Delivery }) {
  const [diffing, setDiffing] = useState(false)
  return (
    <div className="attempt-detail" data-testid="attempt-detail" data-id={attempt.id}>
      {attempt.verdictDetail && (
        <p className="small" data-testid="attempt-verdict-summary">
          Hookscope's verdict on the request as sent: <VerdictBadge verdict={attempt.verdictDetail} testId="attempt-detail-verdict" />{' '}
          {attempt.verdictDetail.summary}
        </p>
      )}
      {attempt.notes.length > 0 && (
        <ul className="attempt-notes small" data-testid="attempt-notes">
          {attempt.notes.map((note, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: an attempt's notes are immutable and may repeat; position is their identity
            <li key={index}>{note}</li>
          ))}
        </ul>
      )}
      <section>
        <div className="section-title">
          <span>Response</span>
          <span className="mono" data-testid="attempt-response-status">
            {attempt.status ?? 'none'}
          </span>
          {attempt.responseTruncated && attempt.responseBodySize !== null && (
            <span className="muted">
              first {formatBytes(attempt.responseBodyBase64 ? decodeBase64(attempt.responseBodyBase64).length : 0)} of {formatBytes(attempt.responseBodySize)}{' '}
              kept
            </span>
          )}
        </div>
        {attempt.responseHeaders ? <HeadersTable headers={attempt.responseHeaders} /> : <p className="muted small">No answer.</p>}
        <Body base64={attempt.responseBodyBase64} headers={attempt.responseHeaders} testId="attempt-response-body" />
      </section>
      <section>
        <div className="section-title">
          <span>Request as sent</span>
          <span className="muted">{formatBytes(attempt.requestBodySize)}</span>
          {original && (
            <button type="button" className="btn btn-small" aria-pressed={diffing} onClick={() => setDiffing(!diffing)} data-testid="attempt-diff-original">
              {diffing ? 'Show the request' : 'Diff with the original'}
            </button>
          )}
        </div>
        {original && diffing ? (
          <OriginalRequestDiff original={original} attempt={attempt} />
        ) : (
          <>
            <HeadersTable headers={attempt.requestHeaders} />
            <Body base64={attempt.requestBodyBase64} headers={attempt.requestHeaders} testId="attempt-request-body" />
          </>
        )}
      </section>
    </div>
  )
}

/** Fetches the whole attempt when opened (lists carry summaries only). */
export function AttemptDetail({ attemptId, original }: { attemptId: string; original?: Delivery }) {
  const detail = useRelay('attempts', (s) => s.details[attemptId])
  const attempts = useRelayStore('attempts')
  useEffect(() => {
    if (!detail) void attempts.getState().loadDetail(attemptId)
  }, [attempts, attemptId, detail])
  if (!detail || detail.status === 'loading') return <p className="muted small">Loading…</p>
  if (detail.status === 'error') return <p className="field-error">{detail.error}</p>
  return <AttemptView attempt={detail.attempt} original={original} />
}

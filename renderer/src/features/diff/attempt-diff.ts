import { decodeBase64 } from '../../../../shared/lib/base64'
import type { Delivery } from '../../../../shared/model/delivery'
import type { Attempt } from '../../../../shared/model/relay'
import { type BodyDiff, diffBodies, diffHeaders, type HeaderDiffRow } from './delivery-diff'

/** Two attempts' responses side by side: status, headers by name, and the JSON-aware body diff of the Compare page. */
export interface ResponseComparison {
  left: Attempt
  right: Attempt
  status: { left: number | null; right: number | null; same: boolean }
  headers: HeaderDiffRow[]
  body: BodyDiff
  /** A side stored only the first bytes of its response (the 1 MiB cap): the body diff covers those. */
  truncated: boolean
}

export function compareResponses(left: Attempt, right: Attempt): ResponseComparison {
  const body = (attempt: Attempt) => (attempt.responseBodyBase64 === null ? new Uint8Array(0) : decodeBase64(attempt.responseBodyBase64))
  return {
    left,
    right,
    status: { left: left.status, right: right.status, same: left.status === right.status },
    headers: diffHeaders(left.responseHeaders ?? [], right.responseHeaders ?? []),
    body: diffBodies(body(left), body(right)),
    truncated: left.responseTruncated || right.responseTruncated
  }
}

/** A delivery's request as received against the request an attempt sent: what a re-sign, an edit or the relay's header rules changed. */
export interface RequestComparison {
  headers: HeaderDiffRow[]
  body: BodyDiff
}

export function compareWithOriginal(original: Delivery, attempt: Attempt): RequestComparison {
  return {
    headers: diffHeaders(original.headers, attempt.requestHeaders),
    body: diffBodies(decodeBase64(original.bodyBase64), decodeBase64(attempt.requestBodyBase64))
  }
}

import { isFormMediaType, isJsonMediaType, parseContentType } from '../../../shared/lib/content-type'
import type { RawHeader } from '../../../shared/model/delivery'
import { jsonBody, jsonObjectBody, MAX_VERIFY_BODY_BYTES } from './json-body'
import { header, type VerifyRequest } from './verify-request'

/** What a scheme may look for inside a body: JSON, form fields, or a compact JWS/JWE. */
export type BodyShape = 'json' | 'form' | 'jose'

/**
 * Compact JOSE bodies travel as their RFC 7515/7519 media types, as plain text, or labelled JSON
 * (Hookscope's own sender keeps a template's application/json); their first bytes tell them from JSON.
 */
const JOSE_MEDIA_TYPES: ReadonlySet<string> = new Set(['application/jose', 'application/jwt', 'text/plain'])

/**
 * Whether scheme detection may look inside this body for `shape`. Detection runs for every
 * delivery, before anyone knows a key of the scheme exists, on the thread that verifies and writes
 * the store: it reads headers and the first bytes, and parses or scans a body only when its
 * Content-Type says it can be that shape and it is within MAX_VERIFY_BODY_BYTES, so a 10 MiB upload
 * costs a detector its headers and nothing more. Without a Content-Type the first bytes decide
 * (JSON and JOSE are told by them), except for forms, which senders always label. Some senders
 * label JSON text/plain: it is looked at too.
 */
export function mayInspectBody(request: VerifyRequest, shape: BodyShape): boolean {
  const size = request.body.length
  if (size === 0 || size > MAX_VERIFY_BODY_BYTES) return false
  const mediaType = mediaTypeOf(request)
  if (mediaType === '') return shape !== 'form'
  if (shape === 'json') return isJsonMediaType(mediaType) || mediaType === 'text/plain'
  if (shape === 'form') return isFormMediaType(mediaType)
  return JOSE_MEDIA_TYPES.has(mediaType) || mediaType.endsWith('+jwt') || isJsonMediaType(mediaType)
}

/** Media types by header list, parsed once per delivery: several schemes ask (verify-request.ts caches headers alike). */
const mediaTypes = new WeakMap<readonly RawHeader[], string>()

function mediaTypeOf(request: VerifyRequest): string {
  let mediaType = mediaTypes.get(request.headers)
  if (mediaType === undefined) {
    mediaType = parseContentType(header(request, 'Content-Type')).mediaType
    mediaTypes.set(request.headers, mediaType)
  }
  return mediaType
}

/** The body as JSON, for detection: undefined when mayInspectBody says not to look (or it is not JSON). */
export function detectableJson(request: VerifyRequest): unknown {
  return mayInspectBody(request, 'json') ? jsonBody(request.body) : undefined
}

/** The body as a JSON object, for detection (see detectableJson). Callers must not modify it. */
export function detectableJsonObject(request: VerifyRequest): Record<string, unknown> | undefined {
  return mayInspectBody(request, 'json') ? jsonObjectBody(request.body) : undefined
}

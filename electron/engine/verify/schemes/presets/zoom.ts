import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { clip, parseFailure } from './preset-helpers'

const HEADER = 'x-zm-signature'
const TIMESTAMP = 'x-zm-request-timestamp'

/**
 * Zoom: `x-zm-signature: v0=<hex>`, HMAC-SHA256 over `v0:<x-zm-request-timestamp>:<body>` with the
 * app's Secret Token as typed. Zoom documents no freshness window, so none is applied unless the
 * key sets `toleranceSeconds` (then ± that many seconds).
 */
export const zoomSpec: HmacSpec = {
  id: 'zoom',
  label: 'Zoom',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: parseZoom,
  content: (request, parsed) => [Buffer.from(`v0:${parsed.timestampRaw}:`, 'utf8'), request.body],
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: (options) => (typeof options.toleranceSeconds === 'number' ? { toleranceSeconds: options.toleranceSeconds, direction: 'both' } : undefined),
  signedContentLabel: 'v0:timestamp:body'
}

function parseZoom(request: VerifyRequest): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  const timestampRaw = header(request, TIMESTAMP)
  if (timestampRaw === undefined) return parseFailure('TIMESTAMP_MISSING', `Missing header ${TIMESTAMP}.`)
  if (!raw.startsWith('v0=') || raw.length <= 3) {
    return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} should look like "v0=<hex>"; found "${clip(raw, 16)}".`)
  }
  const timestamp = parseUnixSeconds(timestampRaw)
  if (!timestamp) return parseFailure('SIG_HEADER_MALFORMED', `${TIMESTAMP} is not a Unix timestamp: "${clip(timestampRaw)}".`)
  return { signatures: [raw.slice(3).trim()], algorithm: 'sha256', timestamp: timestamp.seconds, timestampRaw: timestampRaw.trim() }
}

export const zoom = createHmacScheme(zoomSpec)

import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { clip, parseFailure } from './preset-helpers'

const HEADER = 'X-Slack-Signature'
const TIMESTAMP = 'X-Slack-Request-Timestamp'

/**
 * Slack: `X-Slack-Signature: v0=<hex>`, HMAC-SHA256 over `v0:<X-Slack-Request-Timestamp>:<body>`
 * with the signing secret as typed (it looks like hex; it is not decoded). ±300 s, as Slack's
 * SDKs check |now − ts|.
 */
export const slackSpec: HmacSpec = {
  id: 'slack',
  label: 'Slack',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : hasHeader(request, TIMESTAMP) ? 0.5 : 0),
  parse: parseSlack,
  content: (request, parsed) => [Buffer.from(`v0:${parsed.timestampRaw}:`, 'utf8'), request.body],
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: 300, direction: 'both' },
  signedContentLabel: 'v0:timestamp:body'
}

function parseSlack(request: VerifyRequest): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  const timestampRaw = header(request, TIMESTAMP)
  if (timestampRaw === undefined) return parseFailure('TIMESTAMP_MISSING', `Missing header ${TIMESTAMP}.`)
  const eq = raw.indexOf('=')
  const version = eq > 0 ? raw.slice(0, eq) : ''
  if (version !== 'v0' || raw.length <= 3) {
    return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} should look like "v0=<hex>"; found "${clip(raw, 16)}".`)
  }
  const timestamp = parseUnixSeconds(timestampRaw)
  if (!timestamp) return parseFailure('SIG_HEADER_MALFORMED', `${TIMESTAMP} is not a Unix timestamp in seconds: "${clip(timestampRaw)}".`)
  return { signatures: [raw.slice(3).trim()], algorithm: 'sha256', timestamp: timestamp.seconds, timestampRaw: timestampRaw.trim() }
}

export const slack = createHmacScheme(slackSpec)

import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { isRecord, jsonBody, parseFailure } from './preset-helpers'

const HEADER = 'Linear-Signature'

/**
 * Linear: `Linear-Signature: <hex>`, HMAC-SHA256 of the raw body with the webhook signing secret
 * as typed. Freshness comes from `webhookTimestamp` (milliseconds) inside the signed JSON body,
 * ±60 s as @linear/sdk's LinearWebhookClient.verify checks; the legacy Linear-Timestamp header is
 * ignored, as the SDK does. Linear-Delivery is the delivery id.
 */
export const linearSpec: HmacSpec = {
  id: 'linear',
  label: 'Linear',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: parseLinear,
  content: (request) => request.body,
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: 60, direction: 'both' },
  signedContentLabel: 'body'
}

function parseLinear(request: VerifyRequest): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  if (raw.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} is empty.`)
  const json = jsonBody(request.body)
  if (!isRecord(json)) return parseFailure('PAYLOAD_MALFORMED', 'The body is not a JSON object, so it has no webhookTimestamp.')
  const ms = json.webhookTimestamp
  if (ms === undefined || ms === null) return parseFailure('TIMESTAMP_MISSING', 'The body has no webhookTimestamp field.')
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    return parseFailure('PAYLOAD_MALFORMED', 'The body field webhookTimestamp is not a number of milliseconds.')
  }
  return {
    signatures: [raw.trim()],
    algorithm: 'sha256',
    timestamp: ms / 1000,
    timestampRaw: String(ms),
    deliveryId: header(request, 'Linear-Delivery'),
    steps: [{ label: 'Timestamp source', ok: true, detail: 'webhookTimestamp (ms) in the signed body' }]
  }
}

export const linear = createHmacScheme(linearSpec)

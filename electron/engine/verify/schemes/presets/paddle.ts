import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { bodyId, clip, keyValueList, parseFailure } from './preset-helpers'

const HEADER = 'Paddle-Signature'

/** @paddle/paddle-node-sdk WebhooksValidator.MAX_VALID_TIME_DIFFERENCE: now ≤ ts + 5 s. */
export const PADDLE_DEFAULT_TOLERANCE_SECONDS = 5

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`, HMAC-SHA256 over `ts:body`
 * with the notification destination's secret key (`pdl_ntfset_…`) as typed. Every h1 is tried
 * (Paddle sends one per active secret while rotating; the node SDK keeps only the last). The
 * window is the SDK's 5 s, old timestamps only; a key's `toleranceSeconds` widens it.
 */
export const paddleSpec: HmacSpec = {
  id: 'paddle',
  label: 'Paddle',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: parsePaddle,
  content: (request, parsed) => [Buffer.from(`${parsed.timestampRaw}:`, 'utf8'), request.body],
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: PADDLE_DEFAULT_TOLERANCE_SECONDS, direction: 'past' },
  signedContentLabel: 'ts:body'
}

function parsePaddle(request: VerifyRequest): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  const entries = keyValueList(raw, ';')
  const timestampRaw = entries.find((entry) => entry.key === 'ts')?.value
  const signatures = entries.filter((entry) => entry.key === 'h1' && entry.value !== '').map((entry) => entry.value)
  if (entries.length === 0 || entries.some((entry) => entry.key === '')) {
    return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} should look like "ts=<unix>;h1=<hex>"; found "${clip(raw)}".`)
  }
  if (!timestampRaw) return parseFailure('TIMESTAMP_MISSING', `${HEADER} has no ts= timestamp.`)
  const timestamp = parseUnixSeconds(timestampRaw)
  if (!timestamp) return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} ts= is not a Unix timestamp: "${clip(timestampRaw)}".`)
  if (signatures.length === 0) return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} has no h1= signature.`)
  return {
    signatures,
    algorithm: 'sha256',
    timestamp: timestamp.seconds,
    timestampRaw,
    deliveryId: bodyId(request, ['notification_id'])
  }
}

export const paddle = createHmacScheme(paddleSpec)

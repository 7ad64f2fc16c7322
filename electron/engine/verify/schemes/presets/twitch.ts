import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { afterPrefix, clip, parseFailure, parseRfc3339Seconds } from './preset-helpers'

const SIGNATURE = 'Twitch-Eventsub-Message-Signature'
const ID = 'Twitch-Eventsub-Message-Id'
const TIMESTAMP = 'Twitch-Eventsub-Message-Timestamp'

/**
 * Twitch EventSub (webhook transport): `Twitch-Eventsub-Message-Signature: sha256=<hex>`,
 * HMAC-SHA256 over message id + timestamp (RFC 3339, as sent) + body, no separators, with the
 * subscription secret as typed. Twitch says to reject messages older than 10 minutes; the message
 * id (kept on redelivery) is the delivery id.
 */
export const twitchSpec: HmacSpec = {
  id: 'twitch',
  label: 'Twitch EventSub',
  detect: (request) => (hasHeader(request, SIGNATURE) ? 1 : hasHeader(request, ID) ? 0.5 : 0),
  parse: parseTwitch,
  // Header values are byte strings (one char per byte): signed as the bytes that were sent.
  content: (request, parsed) => [Buffer.from(`${parsed.deliveryId}${parsed.timestampRaw}`, 'latin1'), request.body],
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: 600, direction: 'past' },
  signedContentLabel: 'message-id + timestamp + body'
}

function parseTwitch(request: VerifyRequest): HmacParse {
  const raw = header(request, SIGNATURE)
  const id = header(request, ID)
  const missing = [raw === undefined ? SIGNATURE : null, id === undefined ? ID : null].filter(Boolean)
  if (missing.length > 0) return parseFailure('SIG_HEADER_MISSING', `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`)
  const timestampRaw = header(request, TIMESTAMP)
  if (timestampRaw === undefined) return parseFailure('TIMESTAMP_MISSING', `Missing header ${TIMESTAMP}.`)
  const signature = afterPrefix(raw!.trim(), 'sha256=')
  if (!signature) return parseFailure('SIG_HEADER_MALFORMED', `${SIGNATURE} should start with "sha256="; found "${clip(raw!, 16)}".`)
  const seconds = parseRfc3339Seconds(timestampRaw)
  if (seconds === null) return parseFailure('SIG_HEADER_MALFORMED', `${TIMESTAMP} is not an RFC 3339 date-time: "${clip(timestampRaw)}".`)
  return { signatures: [signature], algorithm: 'sha256', timestamp: seconds, timestampRaw, deliveryId: id }
}

export const twitch = createHmacScheme(twitchSpec)

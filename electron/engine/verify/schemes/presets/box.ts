import { z } from 'zod'
import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { clip, optionIssue, parseFailure, parseRfc3339Seconds } from './preset-helpers'

const PRIMARY = 'box-signature-primary'
const SECONDARY = 'box-signature-secondary'
const TIMESTAMP = 'box-delivery-timestamp'

const optionsSchema = z.object({
  /**
   * Which Box signature key this keyring entry holds. 'primary' checks only box-signature-primary,
   * 'secondary' only box-signature-secondary; unset checks both (any match proves the key).
   */
  signatureKey: z.enum(['primary', 'secondary']).optional()
})

/**
 * Box: `box-signature-primary` / `box-signature-secondary`, each a base64 HMAC-SHA256 over the raw
 * body followed by `box-delivery-timestamp` (as sent), made with the app's primary / secondary
 * signature key as typed. One keyring entry per Box key: add both keys as two entries (rotation);
 * the option `signatureKey` pins an entry to its header. box-signature-version must be 1 and
 * box-signature-algorithm HmacSHA256 when present. Box SDKs refuse deliveries more than 10 minutes
 * old (future timestamps pass). box-delivery-id is the delivery id.
 */
export const boxSpec: HmacSpec = {
  id: 'box',
  label: 'Box',
  detect: (request) => (hasHeader(request, PRIMARY) || hasHeader(request, SECONDARY) ? 1 : 0),
  parse: parseBox,
  content: (request, parsed) => [request.body, Buffer.from(parsed.timestampRaw ?? '', 'utf8')],
  encoding: 'base64',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: 600, direction: 'past' },
  checkKey: (key) => optionIssue(optionsSchema.safeParse(key.options)),
  signedContentLabel: 'body + box-delivery-timestamp'
}

function parseBox(request: VerifyRequest, options: Record<string, unknown>): HmacParse {
  const pinned = options.signatureKey === 'primary' || options.signatureKey === 'secondary' ? options.signatureKey : null
  const names = pinned === 'primary' ? [PRIMARY] : pinned === 'secondary' ? [SECONDARY] : [PRIMARY, SECONDARY]
  const signatures = names.map((name) => header(request, name)?.trim()).filter((value): value is string => !!value)
  if (signatures.length === 0) return parseFailure('SIG_HEADER_MISSING', `Missing header ${names.join(' / ')}.`)
  const version = header(request, 'box-signature-version')
  if (version !== undefined && version.trim() !== '1') {
    return parseFailure('SIG_HEADER_MALFORMED', `box-signature-version is "${clip(version, 10)}"; only version 1 is known.`)
  }
  const algorithm = header(request, 'box-signature-algorithm')
  if (algorithm !== undefined && algorithm.trim() !== 'HmacSHA256') {
    return parseFailure('SIG_HEADER_MALFORMED', `box-signature-algorithm is "${clip(algorithm, 20)}"; only HmacSHA256 is known.`)
  }
  const timestampRaw = header(request, TIMESTAMP)
  if (timestampRaw === undefined) return parseFailure('TIMESTAMP_MISSING', `Missing header ${TIMESTAMP}.`)
  const seconds = parseRfc3339Seconds(timestampRaw)
  if (seconds === null) return parseFailure('SIG_HEADER_MALFORMED', `${TIMESTAMP} is not an RFC 3339 date-time: "${clip(timestampRaw)}".`)
  return {
    signatures,
    algorithm: 'sha256',
    timestamp: seconds,
    timestampRaw,
    deliveryId: header(request, 'box-delivery-id'),
    steps: [{ label: 'Signature headers', ok: true, detail: pinned ? `${pinned} only (key option signatureKey)` : 'primary and secondary' }]
  }
}

export const box = createHmacScheme(boxSpec)

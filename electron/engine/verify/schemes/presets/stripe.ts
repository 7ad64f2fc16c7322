import { createHmacScheme, type HmacParse, type HmacSpec } from '../../hmac/hmac-scheme'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { bodyId, clip, keyValueList, parseFailure } from './preset-helpers'

const HEADER = 'Stripe-Signature'

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, HMAC-SHA256 over
 * `t.body`. The endpoint secret is used as typed, `whsec_` prefix included (stripe-node
 * computeHMACSignature(payload, secret)). Several v1 entries during rotation; v0 (legacy test
 * signatures) and other schemes are ignored, as the SDK does. 300 s, old timestamps only.
 */
export const stripeSpec: HmacSpec = {
  id: 'stripe',
  label: 'Stripe',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: parseStripe,
  content: (request, parsed) => [Buffer.from(`${parsed.timestampRaw}.`, 'utf8'), request.body],
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: { toleranceSeconds: 300, direction: 'past' },
  signedContentLabel: 't.body'
}

function parseStripe(request: VerifyRequest): HmacParse {
  const raw = header(request, HEADER)
  if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
  const entries = keyValueList(raw, ',')
  if (entries.length === 0 || entries.some((entry) => entry.key === '' || entry.value === '')) {
    return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} should look like "t=<unix>,v1=<hex>"; found "${clip(raw)}".`)
  }
  const signatures: string[] = []
  const others = new Set<string>()
  let timestampRaw: string | undefined
  for (const { key, value } of entries) {
    if (key === 't') timestampRaw = value
    else if (key === 'v1') signatures.push(value)
    else others.add(key)
  }
  if (timestampRaw === undefined) return parseFailure('TIMESTAMP_MISSING', `${HEADER} has no t= timestamp.`)
  const timestamp = parseUnixSeconds(timestampRaw)
  if (!timestamp) return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} t= is not a Unix timestamp: "${clip(timestampRaw)}".`)
  if (signatures.length === 0) {
    const found = others.size > 0 ? ` (found ${[...others].join(', ')}; v0 is a legacy test-mode signature Stripe's libraries ignore)` : ''
    return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} has no v1 signature${found}.`)
  }
  return {
    signatures,
    algorithm: 'sha256',
    timestamp: timestamp.seconds,
    timestampRaw,
    // Stripe retries an event with the same evt_ id: that is the duplicate key.
    deliveryId: bodyId(request, ['id'])
  }
}

export const stripe = createHmacScheme(stripeSpec)

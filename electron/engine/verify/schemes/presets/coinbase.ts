import type { HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header } from '../../verify-request'
import { parseFailure } from './preset-helpers'

const HEADER = 'X-CC-Webhook-Signature'

/**
 * Coinbase Commerce: `X-CC-Webhook-Signature: <hex>`, HMAC-SHA256 of the raw body with the shared
 * secret as typed. No timestamp. (Coinbase's newer CDP webhooks are a different scheme.)
 */
export const coinbaseSpec: HmacSpec = {
  id: 'coinbase',
  label: 'Coinbase Commerce',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: (request) => {
    const raw = header(request, HEADER)
    if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
    if (raw.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} is empty.`)
    return { signatures: [raw.trim()], algorithm: 'sha256' }
  },
  content: (request) => request.body,
  encoding: 'hex',
  secretDecoding: 'utf8',
  signedContentLabel: 'body'
}

export const coinbase = createHmacScheme(coinbaseSpec)

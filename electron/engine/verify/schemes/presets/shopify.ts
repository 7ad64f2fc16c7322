import type { HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header } from '../../verify-request'
import { parseFailure } from './preset-helpers'

const HEADER = 'X-Shopify-Hmac-Sha256'

/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the raw body with the app's client
 * secret as typed. X-Shopify-Webhook-Id (kept on retries) is the delivery id. No timestamp.
 */
export const shopifySpec: HmacSpec = {
  id: 'shopify',
  label: 'Shopify',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: (request) => {
    const raw = header(request, HEADER)
    if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
    if (raw.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} is empty.`)
    return { signatures: [raw.trim()], algorithm: 'sha256', deliveryId: header(request, 'X-Shopify-Webhook-Id') }
  },
  content: (request) => request.body,
  encoding: 'base64',
  secretDecoding: 'utf8',
  signedContentLabel: 'body'
}

export const shopify = createHmacScheme(shopifySpec)

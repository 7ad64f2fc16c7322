import type { HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { hasHeader, header } from '../../verify-request'
import { bodyId, clip, keyValueList, parseFailure } from './preset-helpers'

const HEADER = 'X-PagerDuty-Signature'

/**
 * PagerDuty v3 webhooks: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of the raw
 * body with the subscription's secret as typed (base64-looking, never decoded). Entries of other
 * versions are ignored, as go-pagerduty's webhookv3.VerifySignature does. No timestamp; the
 * body's event.id is the delivery id.
 */
export const pagerdutySpec: HmacSpec = {
  id: 'pagerduty',
  label: 'PagerDuty',
  detect: (request) => (hasHeader(request, HEADER) ? 1 : 0),
  parse: (request) => {
    const raw = header(request, HEADER)
    if (raw === undefined) return parseFailure('SIG_HEADER_MISSING', `Missing header ${HEADER}.`)
    const entries = keyValueList(raw, ',')
    const signatures = entries.filter((entry) => entry.key === 'v1' && entry.value !== '').map((entry) => entry.value)
    if (signatures.length === 0) {
      return parseFailure('SIG_HEADER_MALFORMED', `${HEADER} has no "v1=<hex>" entry; found "${clip(raw)}".`)
    }
    return { signatures, algorithm: 'sha256', deliveryId: bodyId(request, ['event', 'id']) }
  },
  content: (request) => request.body,
  encoding: 'hex',
  secretDecoding: 'utf8',
  signedContentLabel: 'body'
}

export const pagerduty = createHmacScheme(pagerdutySpec)

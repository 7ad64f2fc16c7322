import { z } from 'zod'
import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { stringOption } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { bodyId, optionIssue, parseFailure } from './preset-helpers'

const SHA256_HEADER = 'x-square-hmacsha256-signature'
const SHA1_HEADER = 'x-square-signature'

const optionsSchema = z.object({
  /** The notification URL exactly as configured in the Square subscription (what Square signs). */
  notificationUrl: z.url().max(2048).optional()
})

/**
 * Square: `x-square-hmacsha256-signature: <base64>`, HMAC-SHA256 over notification URL + raw body
 * with the subscription's signature key as typed (base64url-looking, never decoded), as the
 * square SDK's WebhooksHelper.verifySignature computes. The URL is the key option
 * `notificationUrl` when set, else the URL the request arrived on. The legacy HMAC-SHA1
 * `x-square-signature` is used only when the SHA-256 header is absent. The body's event_id is
 * the delivery id. No timestamp.
 */
export const squareSpec: HmacSpec = {
  id: 'square',
  label: 'Square',
  detect: (request) => (hasHeader(request, SHA256_HEADER) || hasHeader(request, SHA1_HEADER) ? 1 : 0),
  parse: parseSquare,
  content: (request, _parsed, options) => [Buffer.from(stringOption(options, 'notificationUrl', request.url), 'utf8'), request.body],
  encoding: 'base64',
  secretDecoding: 'utf8',
  coversUrl: true,
  checkKey: (key) => optionIssue(optionsSchema.safeParse(key.options)),
  signedContentLabel: 'notification URL + body'
}

function parseSquare(request: VerifyRequest, options: Record<string, unknown>): HmacParse {
  const deliveryId = bodyId(request, ['event_id'])
  const url = stringOption(options, 'notificationUrl', request.url)
  const steps = [{ label: 'Notification URL', ok: true, detail: `${url} (${options.notificationUrl ? 'key option notificationUrl' : 'the request URL'})` }]
  const sha256 = header(request, SHA256_HEADER)
  if (sha256 !== undefined) {
    if (sha256.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${SHA256_HEADER} is empty.`)
    return { signatures: [sha256.trim()], algorithm: 'sha256', deliveryId, steps }
  }
  const sha1 = header(request, SHA1_HEADER)
  if (sha1 !== undefined) {
    if (sha1.trim() === '') return parseFailure('SIG_HEADER_MALFORMED', `${SHA1_HEADER} is empty.`)
    steps.push({ label: 'Legacy signature', ok: true, detail: `only ${SHA1_HEADER} (HMAC-SHA1) is present` })
    return { signatures: [sha1.trim()], algorithm: 'sha1', deliveryId, steps }
  }
  return parseFailure('SIG_HEADER_MISSING', `Missing header ${SHA256_HEADER}.`)
}

export const square = createHmacScheme(squareSpec)

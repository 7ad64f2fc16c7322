import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { header, type VerifyRequest } from '../../verify-request'
import { clip, isRecord, jsonBody, parseFailure } from './preset-helpers'

interface MailgunSignature {
  timestamp: string
  token: string
  signature: string
  source: 'JSON body' | 'form fields'
}

/** The signature block: `{"signature": {timestamp, token, signature}}` (JSON webhooks) or top-level form fields (legacy). */
function readSignature(request: VerifyRequest): MailgunSignature | 'absent' | 'malformed' {
  const json = jsonBody(request.body)
  if (isRecord(json)) {
    const block = json.signature
    if (block === undefined) return 'absent'
    if (!isRecord(block)) return 'malformed'
    const { timestamp, token, signature } = block
    const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined)
    const [ts, tok, sig] = [text(timestamp), text(token), text(signature)]
    if (ts === undefined || tok === undefined || sig === undefined) return 'malformed'
    return { timestamp: ts, token: tok, signature: sig, source: 'JSON body' }
  }
  const type = header(request, 'Content-Type')?.toLowerCase() ?? ''
  if (!type.includes('application/x-www-form-urlencoded') || request.body.length > 4 * 1024 * 1024) return 'absent'
  const form = new URLSearchParams(request.body.toString('utf8'))
  const [ts, tok, sig] = [form.get('timestamp'), form.get('token'), form.get('signature')]
  if (ts === null && tok === null && sig === null) return 'absent'
  if (ts === null || tok === null || sig === null) return 'malformed'
  return { timestamp: ts, token: tok, signature: sig, source: 'form fields' }
}

/**
 * Mailgun: the signature travels in the body, not a header. HMAC-SHA256 (hex) over
 * timestamp + token with the HTTP webhook signing key as typed. It covers those two fields only:
 * the event data is NOT signed. The token (unique per delivery) is the delivery id. Mailgun
 * documents no fixed window; a key's `toleranceSeconds` enables one (old timestamps only).
 */
export const mailgunSpec: HmacSpec = {
  id: 'mailgun',
  label: 'Mailgun',
  detect: (request) => {
    if (!request.body.includes('signature') || !request.body.includes('token')) return 0
    const found = readSignature(request)
    if (typeof found === 'string') return 0
    return found.source === 'JSON body' ? (request.body.includes('"event-data"') ? 0.9 : 0.7) : 0.6
  },
  parse: parseMailgun,
  content: (_request, parsed) => Buffer.from(`${parsed.timestampRaw}${parsed.fields?.token ?? ''}`, 'utf8'),
  encoding: 'hex',
  secretDecoding: 'utf8',
  timestamp: (options) => (typeof options.toleranceSeconds === 'number' ? { toleranceSeconds: options.toleranceSeconds, direction: 'past' } : undefined),
  signedContentLabel: 'timestamp + token (fields only)'
}

function parseMailgun(request: VerifyRequest): HmacParse {
  const found = readSignature(request)
  if (found === 'absent') return parseFailure('SIG_HEADER_MISSING', 'The body has no Mailgun signature (signature.timestamp, .token, .signature).')
  if (found === 'malformed') return parseFailure('SIG_HEADER_MALFORMED', 'The Mailgun signature in the body lacks timestamp, token or signature.')
  const timestamp = parseUnixSeconds(found.timestamp)
  if (!timestamp) return parseFailure('SIG_HEADER_MALFORMED', `The Mailgun signature timestamp is not a Unix timestamp: "${clip(found.timestamp)}".`)
  return {
    signatures: [found.signature.trim()],
    algorithm: 'sha256',
    timestamp: timestamp.seconds,
    timestampRaw: found.timestamp,
    fields: { token: found.token },
    deliveryId: found.token,
    steps: [
      { label: 'Signature source', ok: true, detail: found.source },
      { label: 'Coverage', ok: true, detail: 'fields only: timestamp + token; the event data in the body is not covered by the signature' }
    ]
  }
}

export const mailgun = createHmacScheme(mailgunSpec)

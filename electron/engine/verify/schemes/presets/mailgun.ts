import { detectableJson, mayInspectBody } from '../../detectable-body'
import type { HmacParse, HmacSpec } from '../../hmac/hmac-scheme'
import { createHmacScheme } from '../../hmac/hmac-scheme'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import type { VerifyRequest } from '../../verify-request'
import { clip, isRecord, jsonBody, parseFailure } from './preset-helpers'

interface MailgunSignature {
  timestamp: string
  token: string
  signature: string
  source: 'JSON body' | 'form fields'
}

/**
 * The signature block: `{"signature": {timestamp, token, signature}}` (JSON webhooks) or top-level
 * form fields (legacy). `json` is the body as JSON, as the caller may read it (detection: only
 * when the Content-Type allows, see detectable-body.ts).
 */
function readSignature(request: VerifyRequest, json: unknown): MailgunSignature | 'absent' | 'malformed' {
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
  if (!mayInspectBody(request, 'form')) return 'absent'
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
    // The signature is in the body: look only at a JSON or form body within the parse limit (the
    // scans for its words are then bounded, and spare most bodies a parse).
    if (!mayInspectBody(request, 'json') && !mayInspectBody(request, 'form')) return 0
    if (!request.body.includes('signature') || !request.body.includes('token')) return 0
    const found = readSignature(request, detectableJson(request))
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
  const found = readSignature(request, jsonBody(request.body))
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

import { z } from 'zod'
import { optionsReader } from '../../options-reader'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { hasHeader, header } from '../../verify-request'
import { createSignatureScheme, missingHeaders, type SignatureParse } from './signature-core'

/**
 * SendGrid (Twilio) Event Webhook: ECDSA P-256 / SHA-256, DER signature in base64, over the
 * timestamp header + body; the verification key is the dashboard's base64 DER SPKI. The SDK has
 * no timestamp window (signature-schemes.md §0.3); `toleranceSeconds` adds one.
 */
const SIGNATURE = 'X-Twilio-Email-Event-Webhook-Signature'
const TIMESTAMP = 'X-Twilio-Email-Event-Webhook-Timestamp'

const options = optionsReader(
  z.object({
    toleranceSeconds: z.number().int().min(1).max(31_536_000).optional()
  })
)

export const sendgrid = createSignatureScheme({
  id: 'sendgrid',
  label: 'SendGrid Event Webhook (ECDSA P-256)',
  needs: ['publicKey'],
  options,
  detect: (request) => (hasHeader(request, SIGNATURE) ? 1 : 0),
  parse: (request): SignatureParse => {
    const missing = missingHeaders(request, [SIGNATURE, TIMESTAMP])
    if (missing) return missing
    const timestampRaw = header(request, TIMESTAMP)!
    return { signatures: [header(request, SIGNATURE)!.trim()], timestampRaw, timestamp: parseUnixSeconds(timestampRaw)?.seconds }
  },
  content: (request, parsed) => Buffer.concat([Buffer.from(parsed.timestampRaw ?? '', 'utf8'), request.body]),
  signatureEncoding: 'base64',
  digest: 'sha256',
  dsaEncoding: 'der',
  keyKinds: ['ec-p256'],
  timestamp: (o) => (o.toleranceSeconds ? { toleranceSeconds: o.toleranceSeconds, direction: 'both' } : undefined),
  signedContentLabel: `${TIMESTAMP} + body`
})

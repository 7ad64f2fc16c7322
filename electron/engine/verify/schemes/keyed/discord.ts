import { z } from 'zod'
import { optionsReader } from '../../options-reader'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { hasHeader, header } from '../../verify-request'
import { createSignatureScheme, missingHeaders, type SignatureParse } from './signature-core'

/**
 * Discord interactions and webhook events: Ed25519 (hex, X-Signature-Ed25519) over
 * X-Signature-Timestamp + body; the application's public key as 64 hex characters. Discord's
 * libraries apply no timestamp window; a key can set `toleranceSeconds` to have one.
 */
const SIGNATURE = 'X-Signature-Ed25519'
const TIMESTAMP = 'X-Signature-Timestamp'

const options = optionsReader(
  z.object({
    toleranceSeconds: z.number().int().min(1).max(31_536_000).optional()
  })
)

export const discord = createSignatureScheme({
  id: 'discord',
  label: 'Discord (Ed25519)',
  needs: ['publicKey'],
  options,
  detect: (request) => (hasHeader(request, SIGNATURE) ? (hasHeader(request, TIMESTAMP) ? 1 : 0.8) : 0),
  parse: (request): SignatureParse => {
    const missing = missingHeaders(request, [SIGNATURE, TIMESTAMP])
    if (missing) return missing
    const timestampRaw = header(request, TIMESTAMP)!
    const seconds = parseUnixSeconds(timestampRaw)
    return { signatures: [header(request, SIGNATURE)!.trim()], timestampRaw, timestamp: seconds?.seconds }
  },
  content: (request, parsed) => Buffer.concat([Buffer.from(parsed.timestampRaw ?? '', 'utf8'), request.body]),
  signatureEncoding: 'hex',
  digest: null,
  keyKinds: ['ed25519'],
  timestamp: (o) => (o.toleranceSeconds ? { toleranceSeconds: o.toleranceSeconds, direction: 'both' } : undefined),
  signedContentLabel: `${TIMESTAMP} + body`
})

import { z } from 'zod'
import { optionsReader } from '../../options-reader'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import { header } from '../../verify-request'
import { createSignatureScheme, missingHeaders, type SignatureParse } from './signature-core'

/**
 * Standard Webhooks v1a (asymmetric): Ed25519 over `webhook-id.webhook-timestamp.body`, base64,
 * as `v1a,<sig>` entries in the space-separated webhook-signature list (v1 HMAC entries are the
 * standard-webhooks scheme's and are ignored here); public keys as `whpk_<base64 raw 32 bytes>`;
 * ±300 s.
 */
const NAMES = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const

const options = optionsReader(
  z.object({
    toleranceSeconds: z.number().int().min(1).max(31_536_000).default(300)
  })
)

function v1aEntries(value: string): string[] {
  return value
    .trim()
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1a,'))
    .map((entry) => entry.slice(4))
}

export const standardWebhooksV1a = createSignatureScheme({
  id: 'standard-webhooks-v1a',
  label: 'Standard Webhooks v1a (Ed25519)',
  needs: ['publicKey'],
  options,
  detect: (request) => {
    const value = header(request, NAMES.signature)
    return value !== undefined && v1aEntries(value).length > 0 ? 1 : 0
  },
  parse: (request): SignatureParse => {
    const missing = missingHeaders(request, Object.values(NAMES))
    if (missing) return missing
    const timestampRaw = header(request, NAMES.timestamp)!
    const timestamp = parseUnixSeconds(timestampRaw)
    if (!timestamp) {
      return { failure: { code: 'SIG_HEADER_MALFORMED', summary: `${NAMES.timestamp} is not a Unix timestamp in seconds: "${timestampRaw.slice(0, 40)}".` } }
    }
    const value = header(request, NAMES.signature)!
    const signatures = v1aEntries(value)
    if (signatures.length === 0) {
      const versions = [
        ...new Set(
          value
            .trim()
            .split(/\s+/)
            .map((entry) => entry.split(',')[0])
        )
      ].join(', ')
      return { failure: { code: 'SIG_HEADER_MALFORMED', summary: `${NAMES.signature} has no v1a (Ed25519) signature (found ${versions || 'nothing'}).` } }
    }
    return { signatures, timestamp: timestamp.seconds, timestampRaw, deliveryId: header(request, NAMES.id)! }
  },
  // Header values are byte strings (one char per byte): signed as the bytes that were sent.
  content: (request, parsed) => Buffer.concat([Buffer.from(`${parsed.deliveryId}.${parsed.timestampRaw}.`, 'latin1'), request.body]),
  signatureEncoding: 'base64',
  digest: null,
  keyKinds: ['ed25519'],
  timestamp: (o) => ({ toleranceSeconds: o.toleranceSeconds, direction: 'both' }),
  signedContentLabel: `${NAMES.id}.${NAMES.timestamp}.body`
})

import { createHmacScheme, type HmacParse, type HmacSpec } from '../hmac/hmac-scheme'
import { parseUnixSeconds } from '../primitives/timestamp-window'
import { hasHeader, header, type VerifyRequest } from '../verify-request'

/**
 * Standard Webhooks v1 (https://www.standardwebhooks.com): HMAC-SHA256 over `id.timestamp.body`,
 * base64, in a space-separated list of `v1,<sig>` entries; `whsec_` base64 secrets; ±5 minutes.
 * Svix is the same scheme under `svix-*` header names.
 */
export function standardWebhooksSpec(id: string, label: string, prefix: 'webhook' | 'svix'): HmacSpec {
  const names = { id: `${prefix}-id`, timestamp: `${prefix}-timestamp`, signature: `${prefix}-signature` }
  return {
    id,
    label,
    detect: (request) => {
      const present = [names.id, names.timestamp, names.signature].filter((name) => hasHeader(request, name)).length
      if (!hasHeader(request, names.signature)) return 0
      // v1a-only deliveries are the Ed25519 scheme's, not ours.
      const entries = (header(request, names.signature) ?? '').split(' ')
      if (!entries.some((entry) => entry.startsWith('v1,'))) return 0.2
      return present === 3 ? 1 : 0.7
    },
    parse: (request) => parseStandard(request, names),
    // Header values are byte strings (one char per byte): signed as the bytes that were sent.
    content: (request, parsed) => [Buffer.from(`${parsed.deliveryId}.${parsed.timestampRaw}.`, 'latin1'), request.body],
    encoding: 'base64',
    secretDecoding: (secret) => (secret.startsWith('whsec_') ? 'whsec' : 'base64'),
    timestamp: { toleranceSeconds: 300, direction: 'both' },
    signedContentLabel: `${names.id}.${names.timestamp}.body`
  }
}

function parseStandard(request: VerifyRequest, names: { id: string; timestamp: string; signature: string }): HmacParse {
  const missing = Object.values(names).filter((name) => !hasHeader(request, name))
  if (missing.length > 0) {
    return { failure: { code: 'SIG_HEADER_MISSING', summary: `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` } }
  }
  const deliveryId = header(request, names.id)!
  const timestampRaw = header(request, names.timestamp)!
  const timestamp = parseUnixSeconds(timestampRaw)
  if (!timestamp) {
    return { failure: { code: 'SIG_HEADER_MALFORMED', summary: `${names.timestamp} is not a Unix timestamp in seconds: "${timestampRaw.slice(0, 40)}".` } }
  }
  const entries = header(request, names.signature)!.trim().split(/\s+/)
  const signatures: string[] = []
  const versions = new Set<string>()
  for (const entry of entries) {
    const comma = entry.indexOf(',')
    if (comma <= 0) {
      return {
        failure: {
          code: 'SIG_HEADER_MALFORMED',
          summary: `${names.signature} entries must look like "v1,<base64>"; found "${entry.slice(0, 20)}${entry.length > 20 ? '…' : ''}".`
        }
      }
    }
    const version = entry.slice(0, comma)
    versions.add(version)
    if (version === 'v1') signatures.push(entry.slice(comma + 1))
  }
  if (signatures.length === 0) {
    return { failure: { code: 'SIG_HEADER_MALFORMED', summary: `${names.signature} has no v1 signature (found ${[...versions].join(', ')}).` } }
  }
  return { signatures, algorithm: 'sha256', timestamp: timestamp.seconds, timestampRaw, deliveryId }
}

export const standardWebhooks = createHmacScheme(standardWebhooksSpec('standard-webhooks', 'Standard Webhooks', 'webhook'))
export const svix = createHmacScheme(standardWebhooksSpec('svix', 'Svix', 'svix'))

import { createHash } from 'node:crypto'
import { hubspot, legacyContent, pickVersion, type Version } from '../../verify/schemes/presets/hubspot'
import { headerValue, withHeader } from '../header-edit'
import { hmacSigner } from '../hmac/hmac-signer'
import { asVerifyRequest } from '../signer-core'

const V3 = 'X-HubSpot-Signature-v3'
const LEGACY = 'X-HubSpot-Signature'

/**
 * HubSpot: v3 (base64 HMAC-SHA256 over method + URL + body + a fresh millisecond timestamp) unless
 * the key option `version` or a legacy-only request asks for v1/v2 (hex SHA-256 of secret [+ method
 * + URL] + body, which carry no timestamp).
 */
export const hubspotSigner = hmacSigner(hubspot, (draft, { now, key, options }, mac) => {
  const legacyOnly = headerValue(draft.headers, LEGACY) !== undefined && headerValue(draft.headers, V3) === undefined
  const version: Version = typeof options.version === 'string' || legacyOnly ? pickVersion(asVerifyRequest(draft), options) : 'v3'
  if (version === 'v3') {
    const timestamp = String(now)
    draft.headers = withHeader(draft.headers, 'X-HubSpot-Request-Timestamp', timestamp)
    draft.headers = withHeader(draft.headers, V3, mac({ timestampRaw: timestamp }))
    return
  }
  const content = legacyContent(key.material.secret!, version, asVerifyRequest(draft), options)
  draft.headers = withHeader(draft.headers, 'X-HubSpot-Signature-Version', version)
  draft.headers = withHeader(draft.headers, LEGACY, createHash('sha256').update(content).digest('hex'))
  draft.notes.push(`HubSpot ${version} signatures carry no timestamp: the re-signed request equals a replay of the original.`)
})

import type { KeyEntry } from '../../../../shared/model/keyring'
import type { Finding } from '../../../../shared/model/verdict'
import { bodyVariants } from '../diagnostics/body-variants'
import { urlVariants } from '../diagnostics/url-variants'
import { decodeSecret, SECRET_DECODING_LABEL, SECRET_DECODINGS, type SecretDecoding } from '../primitives/secret-decoding'
import { matchEncoding, type SignatureEncoding } from '../primitives/signature-encoding'
import type { SchemeContext } from '../scheme'
import type { VerifyRequest } from '../verify-request'
import { type HmacParsed, type HmacSpec, hmac } from './hmac-scheme'
import { joinSigned } from './signed-content-preview'

/** Bound the work a single failed delivery can cause (the keyring and bodies are user-sized). */
const MAX_OTHER_KEYS = 200

export interface HmacDiagnosisInput {
  spec: HmacSpec
  request: VerifyRequest
  parsed: HmacParsed
  key: KeyEntry
  keyBytes: Buffer
  decoding: SecretDecoding
  encoding: SignatureEncoding
  context: SchemeContext
}

/**
 * Near-miss analysis for a failed HMAC: undo one usual mistake at a time and see whether the
 * signature then matches. Each hit becomes a finding that says which mistake it was.
 */
export function diagnoseHmac(input: HmacDiagnosisInput): Finding[] {
  const { spec, request, parsed, key, keyBytes, decoding, encoding, context } = input
  const options = key.options
  const findings: Finding[] = []
  const content = joinSigned(spec.content(request, parsed, options))
  const matchesAny = (digest: Buffer) => parsed.signatures.some((signature) => matchEncoding(signature, digest) !== null)

  // The right MAC, written in another encoding (hex vs base64, case, padding).
  const digest = hmac(parsed.algorithm, keyBytes, content)
  for (const signature of parsed.signatures) {
    const match = matchEncoding(signature, digest)
    if (match && (match.encoding !== encoding || match.note)) {
      const how = match.note ?? match.encoding
      findings.push({
        code: 'SIGNATURE_ENCODING',
        message: `The signature is the right HMAC, but written as ${how}; ${spec.label} expects ${encoding}.`
      })
      break
    }
  }

  // The right secret, turned into key bytes the wrong way.
  const secret = key.material.secret ?? ''
  const alternatives: { label: string; bytes: Buffer | null }[] = SECRET_DECODINGS.filter((d) => d !== decoding).map((d) => ({
    label: SECRET_DECODING_LABEL[d],
    bytes: decodeSecret(secret, d)
  }))
  if (secret.startsWith('whsec_')) {
    alternatives.push({ label: 'raw text without the whsec_ prefix', bytes: Buffer.from(secret.slice(6), 'utf8') })
  } else if (decoding === 'utf8') {
    // Stripe-style secrets are used whole: one pasted without its prefix misses it.
    alternatives.push({ label: 'raw text with its whsec_ prefix (the whole secret as the provider shows it)', bytes: Buffer.from(`whsec_${secret}`, 'utf8') })
  }
  for (const alternative of alternatives) {
    if (!alternative.bytes || alternative.bytes.equals(keyBytes)) continue
    if (matchesAny(hmac(parsed.algorithm, alternative.bytes, content))) {
      findings.push({
        code: 'SECRET_DECODING',
        message: `The signature matches if the secret is read as ${alternative.label}, not as ${SECRET_DECODING_LABEL[decoding]}.`
      })
      break
    }
  }

  // The sender signed other bytes than it sent (or something in between changed them).
  // Variants that leave the signed content unchanged prove nothing (fields-only schemes such as
  // Mailgun or Adyen, or a configured URL signed instead of the arrival URL): skip them.
  for (const variant of bodyVariants(request.body)) {
    const variantContent = joinSigned(spec.content({ ...request, body: variant.body }, parsed, options))
    if (variantContent.equals(content)) continue
    if (matchesAny(hmac(parsed.algorithm, keyBytes, variantContent))) {
      findings.push({
        code: 'BODY_CHANGED',
        message: `The signature matches the body ${variant.label}: the body changed between signing and delivery.`
      })
      break
    }
  }

  if (spec.coversUrl) {
    for (const variant of urlVariants(request.url)) {
      const variantContent = joinSigned(spec.content({ ...request, url: variant.url }, parsed, options))
      if (variantContent.equals(content)) continue
      if (matchesAny(hmac(parsed.algorithm, keyBytes, variantContent))) {
        findings.push({
          code: 'URL_VARIANT',
          message: `The signature matches the URL ${variant.label} (${variant.url}): the sender signed the URL it was configured with, not the one that arrived.`
        })
        break
      }
    }
  }

  // Another keyring entry (an older secret, a DELETED key, another endpoint's key).
  for (const other of context.otherKeys.slice(0, MAX_OTHER_KEYS)) {
    if (other.id === key.id || !other.material.secret) continue
    const candidates = [decoding, ...SECRET_DECODINGS.filter((d) => d !== decoding)]
    const hit = candidates.some((d) => {
      const bytes = decodeSecret(other.material.secret!, d)
      return bytes !== null && matchesAny(hmac(parsed.algorithm, bytes, content))
    })
    if (hit) {
      const where = other.endpointIds.length > 0 ? `, bound to ${other.endpointIds.join(', ')}` : ''
      findings.push({
        code: 'OTHER_KEY',
        keyId: other.id,
        message: `The signature matches another key: "${other.name}" (${other.scheme}, ${other.status}${where}).`
      })
    }
  }
  return findings
}

import type { KeyEntry } from '../../../../shared/model/keyring'
import type { Finding } from '../../../../shared/model/verdict'
import type { NearMissSearch } from '../diagnostics/near-miss-search'
import { urlVariants } from '../diagnostics/url-variants'
import { MAX_VERIFY_BODY_BYTES } from '../json-body'
import { decodeSecret, SECRET_DECODING_LABEL, SECRET_DECODINGS, type SecretDecoding } from '../primitives/secret-decoding'
import { matchEncoding, type SignatureEncoding } from '../primitives/signature-encoding'
import type { SchemeContext } from '../scheme'
import type { VerifyRequest } from '../verify-request'
import { type HmacParsed, type HmacSpec, hmac } from './hmac-scheme'
import { joinSigned, type SignedBytes, signedLength } from './signed-content-preview'

/** Bound the work a single failed delivery can cause (the keyring and bodies are user-sized). */
const MAX_OTHER_KEYS = 200
const NO_BODY = Buffer.alloc(0)

export interface HmacDiagnosisInput {
  spec: HmacSpec
  request: VerifyRequest
  parsed: HmacParsed
  key: KeyEntry
  keyBytes: Buffer
  decoding: SecretDecoding
  encoding: SignatureEncoding
  context: SchemeContext
  /** The signed content and its MAC under the key, as the check computed them: not computed again. */
  content: SignedBytes
  digest: Buffer
  /** Says which trials may run (body size, the delivery's budget) and what was skipped. */
  search: NearMissSearch
}

/**
 * Near-miss analysis for a failed HMAC: undo one usual mistake at a time and see whether the
 * signature then matches. Each hit becomes a finding that says which mistake it was. Each kind of
 * trial runs only as `search` allows (a body over the size searched, or a delivery whose search
 * would hash more than its budget, skips it: the search's own finding says so).
 */
export function diagnoseHmac(input: HmacDiagnosisInput): Finding[] {
  const { spec, request, parsed, key, keyBytes, decoding, encoding, context, digest, search } = input
  const options = key.options
  const findings: Finding[] = []
  const length = signedLength(input.content)
  let joined: Buffer | undefined
  // The content as one buffer, to compare variants with: built only when a variant is tried.
  const content = () => {
    joined ??= joinSigned(input.content)
    return joined
  }
  const matchesAny = (digest: Buffer) => parsed.signatures.some((signature) => matchEncoding(signature, digest) !== null)

  // The right MAC, written in another encoding (hex vs base64, case, padding).
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
  const readings = alternatives.filter(
    (alternative): alternative is { label: string; bytes: Buffer } => alternative.bytes !== null && !alternative.bytes.equals(keyBytes)
  )
  if (search.allows('other readings of the secret', readings.length, length)) {
    for (const alternative of readings) {
      if (matchesAny(hmac(parsed.algorithm, alternative.bytes, input.content))) {
        findings.push({
          code: 'SECRET_DECODING',
          message: `The signature matches if the secret is read as ${alternative.label}, not as ${SECRET_DECODING_LABEL[decoding]}.`
        })
        break
      }
    }
  }

  // The sender signed other bytes than it sent (or something in between changed them).
  // Variants that leave the signed content unchanged prove nothing (fields-only schemes such as
  // Mailgun or Adyen, or a configured URL signed instead of the arrival URL): skip them. Over the
  // size searched, only a scheme that signs the body misses them (Twilio's JSON deliveries sign
  // the URL: no body change could matter, and none is said to be skipped).
  const bodySigned = request.body.length <= MAX_VERIFY_BODY_BYTES || signedLength(spec.content({ ...request, body: NO_BODY }, parsed, options)) !== length
  for (const variant of bodySigned ? search.bodyVariants(length) : []) {
    const variantContent = joinSigned(spec.content({ ...request, body: variant.body }, parsed, options))
    if (variantContent.equals(content())) continue
    if (matchesAny(hmac(parsed.algorithm, keyBytes, variantContent))) {
      findings.push({
        code: 'BODY_CHANGED',
        message: `The signature matches the body ${variant.label}: the body changed between signing and delivery.`
      })
      break
    }
  }

  if (spec.coversUrl) {
    const variants = urlVariants(request.url)
    if (search.allows('URL variants', variants.length, length)) {
      for (const variant of variants) {
        const variantContent = joinSigned(spec.content({ ...request, url: variant.url }, parsed, options))
        if (variantContent.equals(content())) continue
        if (matchesAny(hmac(parsed.algorithm, keyBytes, variantContent))) {
          findings.push({
            code: 'URL_VARIANT',
            message: `The signature matches the URL ${variant.label} (${variant.url}): the sender signed the URL it was configured with, not the one that arrived.`
          })
          break
        }
      }
    }
  }

  // Another keyring entry (an older secret, a DELETED key, another endpoint's key), its secret
  // read every way: the key's own reading first.
  const readingsInOrder = [decoding, ...SECRET_DECODINGS.filter((d) => d !== decoding)]
  const others = context.otherKeys
    .slice(0, MAX_OTHER_KEYS)
    .filter((other) => other.id !== key.id && other.material.secret)
    .map((other) => ({
      other,
      keys: readingsInOrder.map((d) => decodeSecret(other.material.secret!, d)).filter((bytes): bytes is Buffer => bytes !== null)
    }))
  const trials = others.reduce((sum, { keys }) => sum + keys.length, 0)
  if (search.allows('other keys', trials, length)) {
    for (const { other, keys } of others) {
      if (!keys.some((bytes) => matchesAny(hmac(parsed.algorithm, bytes, input.content)))) continue
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

import type { KeyEntry } from '../../../../shared/model/keyring'
import { type HmacAlgorithm, type HmacParsed, type HmacSpec, hmac } from '../../verify/hmac/hmac-scheme'
import { decodeSecret, SECRET_DECODING_LABEL, type SecretDecoding } from '../../verify/primitives/secret-decoding'
import { encodeSignature } from '../../verify/primitives/signature-encoding'
import type { Scheme } from '../../verify/scheme'
import { type Signer, type SignFailure, signFailure } from '../sign-types'
import { asVerifyRequest, type Draft, defineSigner, type SignContext } from '../signer-core'

/** The values a preset's content function reads (the parsed header fields of a fresh delivery). */
export interface MacFields {
  algorithm?: HmacAlgorithm
  timestampRaw?: string
  deliveryId?: string
  fields?: Record<string, string>
}

/** The encoded HMAC of the draft as it stands, exactly as the verifier computes it. */
export type Mac = (fields?: MacFields) => string

export type HmacWriter = (draft: Draft, context: SignContext, mac: Mac) => SignFailure | undefined

function decodingOf(spec: HmacSpec, secret: string, options: Record<string, unknown>): SecretDecoding {
  return typeof spec.secretDecoding === 'function' ? spec.secretDecoding(secret, options) : spec.secretDecoding
}

/**
 * A signer over a verifier preset's HmacSpec: the preset's own content function, secret decoding
 * and encoding make the signature, so signing and verifying cannot drift apart. The writer only
 * says which headers carry the fresh id, timestamp and signature.
 */
export function hmacSigner(
  scheme: Scheme & { spec: HmacSpec },
  write: HmacWriter,
  extra: { limits?: string; check?: (key: KeyEntry) => SignFailure | null } = {}
): Signer {
  const { spec } = scheme
  return defineSigner({
    scheme,
    signsWith: ['secret'],
    limits: extra.limits,
    check: (key) => {
      const decoding = decodingOf(spec, key.material.secret!, key.options)
      if (!decodeSecret(key.material.secret!, decoding)) {
        return signFailure('KEY_UNUSABLE', `The secret of key "${key.name}" is not valid as ${SECRET_DECODING_LABEL[decoding]}.`)
      }
      return extra.check?.(key) ?? null
    },
    write: (draft, context) => {
      const secret = context.key.material.secret!
      const keyBytes = decodeSecret(secret, decodingOf(spec, secret, context.options))!
      const encoding = typeof spec.encoding === 'function' ? spec.encoding(context.options) : spec.encoding
      const mac: Mac = (fields = {}) => {
        const parsed: HmacParsed = { signatures: [], algorithm: fields.algorithm ?? 'sha256', ...fields }
        const content = spec.content(asVerifyRequest(draft), parsed, context.options)
        return encodeSignature(hmac(parsed.algorithm, keyBytes, content), encoding)
      }
      return write(draft, context, mac)
    }
  })
}

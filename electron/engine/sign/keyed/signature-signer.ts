import { sign as cryptoSign, type KeyObject } from 'node:crypto'
import type { KeyEntry } from '../../../../shared/model/keyring'
import { parsePublicKey } from '../../verify/primitives/keys/parse-public-key'
import type { Scheme } from '../../verify/scheme'
import type { SignatureParsed, SignatureSpec } from '../../verify/schemes/keyed/signature-core'
import type { Signer, SignFailure } from '../sign-types'
import { asVerifyRequest, type Draft, defineSigner, type SignContext } from '../signer-core'
import { signingKeyOf } from './private-key'

/** The encoded signature of the draft as it stands, over the verifier spec's own content. */
export type SignContent = (parsed: Omit<SignatureParsed, 'signatures'>) => string

export type SignatureWriter = (draft: Draft, context: SignContext, sign: SignContent) => SignFailure | undefined

function publicKeysOf<O>(spec: SignatureSpec<O>, key: KeyEntry): KeyObject[] {
  if (spec.candidateKeys) return spec.candidateKeys(key)
  const parsed = key.material.publicKey ? parsePublicKey(key.material.publicKey) : null
  return parsed?.ok ? [parsed.key] : []
}

/**
 * A signer over a verifier's public-key SignatureSpec (Ed25519, ECDSA, RSA): the entry's
 * privateKey signs the spec's own content with its digest and layout. Only a sender holds such
 * a key, so this signs only for keys you made yourself (a test key pair), never a provider's.
 */
export function signatureSigner<O>(scheme: Scheme & { spec: SignatureSpec<O> }, write: SignatureWriter, limits: string): Signer {
  const { spec } = scheme
  const signingKey = (key: KeyEntry) => signingKeyOf(key, spec.keyKinds, spec.label, publicKeysOf(spec, key))
  return defineSigner({
    scheme,
    signsWith: ['privateKey'],
    limits,
    check: (key) => {
      const found = signingKey(key)
      return 'ok' in found ? found : null
    },
    write: (draft, context) => {
      const found = signingKey(context.key)
      if ('ok' in found) return found
      const options = spec.options.read(context.options)
      const sign: SignContent = (parsed) => {
        const content = spec.content(asVerifyRequest(draft), { signatures: [], ...parsed }, options)
        return cryptoSign(spec.digest, content, { key: found.key, dsaEncoding: spec.dsaEncoding ?? 'der' }).toString(spec.signatureEncoding)
      }
      return write(draft, context, sign)
    }
  })
}

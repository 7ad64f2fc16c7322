import type { KeyEntry } from '../../../shared/model/keyring'
import { signerFor } from './registry'
import { type SignFailure, type SignInput, type SignResult, signFailure } from './sign-types'

/**
 * Re-signs a request with a keyring key, in the key's scheme: fresh sender id and timestamp
 * headers, the signature recomputed, headers replaced in place (order and case kept) or added.
 * Envelope schemes re-seal the body. Pure apart from the randomness the cryptography needs
 * (nonces, ECDSA/RSA-OAEP): the clock and ids come in with the input; nothing is logged.
 */
export function signRequest(input: SignInput, key: KeyEntry): SignResult {
  const signer = signerFor(key.scheme)
  if (!signer) return signFailure('UNKNOWN_SCHEME', `Key "${key.name}" is of scheme "${key.scheme.slice(0, 40)}", which Hookscope does not know.`)
  return signer.sign(input, key)
}

/** Why `key` cannot sign, or null (for pickers: the same answer signRequest would give up front). */
export function signingProblem(key: KeyEntry): SignFailure | null {
  const signer = signerFor(key.scheme)
  if (!signer) return signFailure('UNKNOWN_SCHEME', `Key "${key.name}" is of scheme "${key.scheme.slice(0, 40)}", which Hookscope does not know.`)
  return signer.check(key)
}

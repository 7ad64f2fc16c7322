import type { RawHeader } from '../../../shared/model/delivery'
import type { KeyEntry, KeyMaterialField } from '../../../shared/model/keyring'
import type { SigningCapability } from '../../../shared/model/signing'

/** A request about to be (re)sent, as the replay and the sender hand it to a signer. */
export interface SignInput {
  method: string
  /** Absolute URL the request goes to (schemes that sign the URL sign this one, unless a key option names another). */
  url: string
  headers: RawHeader[]
  body: Buffer
  /** ms, from the injected clock: every timestamp the signer writes derives from it. */
  now: number
  /** A fresh sender delivery id; provider-shaped ids (UUIDs, msg_…) are derived from it. */
  newId: string
  /**
   * Envelope schemes (AES-256-GCM, JWE, Feishu): the plaintext to seal, e.g. the verdict's decrypted
   * body. Without it, a body that is already an envelope is opened with the key and its plaintext
   * re-sealed; any other body is taken as the plaintext.
   */
  plaintext?: Buffer
}

/** Stable codes of a refusal; the reason is a sentence that never quotes key material. */
export type SignFailureCode =
  /** No signer for this scheme id. */
  | 'UNKNOWN_SCHEME'
  /** The key holds no material this scheme signs with (only a public key, a certificate...). */
  | 'KEY_CANNOT_SIGN'
  /** The key's material or options do not parse for this scheme. */
  | 'KEY_UNUSABLE'
  /** Only ACTIVE keys sign: an INACTIVE or DELETED one would verify as KEY_INACTIVE / KEY_DELETED. */
  | 'KEY_NOT_ACTIVE'
  /** The private key does not belong to the public key the verifier checks with. */
  | 'KEY_PAIR_MISMATCH'
  /** The request cannot carry this scheme's signature (e.g. a body that must be JSON is not). */
  | 'PAYLOAD_UNSUITABLE'
  /** An envelope body sealed under another key, and no plaintext was given. */
  | 'ENVELOPE_NOT_OPENABLE'
  /** The scheme has settings no signer can reproduce (an algorithm Hookscope does not produce). */
  | 'SCHEME_CANNOT_SIGN'

export type SignFailure = { ok: false; code: SignFailureCode; reason: string }

export type SignResult =
  | {
      ok: true
      headers: RawHeader[]
      body: Buffer
      /** Set when the scheme had to change the URL (Twilio's bodySHA256 query parameter). */
      url?: string
      scheme: string
      /** The keyring id of the key that signed. */
      keyId: string
      /** What changed and what to know (e.g. "the evt_ id is unchanged: Stripe treats it as a retry"). */
      notes: string[]
    }
  | SignFailure

export interface Signer {
  scheme: string
  label: string
  signsWith: readonly KeyMaterialField[]
  limits: string | null
  /** Why `key` cannot sign, or null when it can. Never echoes key material. */
  check(key: KeyEntry): SignFailure | null
  sign(input: SignInput, key: KeyEntry): SignResult
}

export type { SigningCapability }

export function signFailure(code: SignFailureCode, reason: string): SignFailure {
  return { ok: false, code, reason }
}

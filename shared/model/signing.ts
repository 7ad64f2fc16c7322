import type { KeyMaterialField } from './keyring'

/** What lets a key of a scheme sign: the replay's re-sign and the sender's key pickers show it. */
export interface SigningCapability {
  scheme: string
  label: string
  /** Material fields that let a key of this scheme sign (any one suffices); empty: the scheme never signs. */
  signsWith: KeyMaterialField[]
  /** Why keys of this scheme sometimes cannot sign, or never can. */
  limits: string | null
}

/** Why a key cannot sign right now: the code and sentence signRequest would refuse with. */
export interface SigningProblem {
  /** `VAULT_LOCKED`, or a SignFailureCode (`KEY_NOT_ACTIVE`, `KEY_CANNOT_SIGN`, `SCHEME_CANNOT_SIGN`...). */
  code: string
  reason: string
}

/** `keys.signing`: every scheme's capability, and for each keyring key whether it can sign. */
export interface SigningOverview {
  /** The keyring is locked: no key can sign until it is unlocked (each key says so). */
  locked: boolean
  capabilities: SigningCapability[]
  /** One per keyring key, in `keys.list` order; `problem: null` when it can sign. */
  keys: { id: string; problem: SigningProblem | null }[]
}

import type { RawHeader } from '../../../shared/model/delivery'
import type { KeyEntry } from '../../../shared/model/keyring'

/**
 * The signing seam (COORDINATION.md): `signRequest` lives in electron/engine/sign/ (the signers'
 * module); replay and the sender call it through this type, injected, so the relay builds and
 * tests without it and picks it up when it is wired in createEngine.
 */
export interface SignInput {
  method: string
  /** Absolute URL the request goes to. */
  url: string
  headers: RawHeader[]
  body: Buffer
  /** ms, from the injected clock. */
  now: number
  /** A fresh sender delivery id. */
  newId: string
}

export type SignResult =
  | { ok: true; headers: RawHeader[]; body: Buffer; scheme: string; keyId: string; notes: string[] }
  | { ok: false; code: string; reason: string }

/** Replaces (in place, keeping order and case) or adds the scheme's id/timestamp/signature headers. Pure. */
export type SignRequest = (input: SignInput, key: KeyEntry) => SignResult

/** Stands in until the signing module is wired: every request is reported as not signable. */
export const signingUnavailable: SignRequest = () => ({
  ok: false,
  code: 'SIGNING_UNAVAILABLE',
  reason: 'this build of Hookscope cannot sign requests yet'
})

import type { KeyEntry } from '../../../shared/model/keyring'
import type { SignInput, SignResult } from '../sign'

/**
 * The signing seam (COORDINATION.md): `signRequest` from electron/engine/sign/, injected into
 * replay and the sender so tests can stand in for it.
 */
export type SignRequest = (input: SignInput, key: KeyEntry) => SignResult

export type { SignInput, SignResult }

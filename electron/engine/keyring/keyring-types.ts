import type { KeyMaterial, KeyStatus } from '../../../shared/model/keyring'
import type { Clock, KeyProtector, Logger } from '../engine-types'

/**
 * From the scheme registry: an error sentence when the scheme is unknown or the material/keyId
 * does not fit it, else null. The sentence must never quote the material.
 */
export type CheckKey = (scheme: string, material: KeyMaterial, options: Record<string, unknown>, keyId: string | null) => string | null

export interface KeyringDeps {
  clock: Clock
  logger: Logger
  /** The desktop's OS keychain; absent in headless runs. */
  osProtector?: KeyProtector
  checkKey: CheckKey
  /** Receives `keys.changed` after every change to keys or vault state (never anything secret). */
  emit: (event: { type: 'keys.changed' }) => void
}

export interface CreateKeyInput {
  name: string
  scheme: string
  material: KeyMaterial
  status?: Extract<KeyStatus, 'INACTIVE' | 'ACTIVE'>
  keyId?: string
  group?: string
  endpointIds?: string[]
  pathPrefixes?: string[]
  notes?: string
  options?: Record<string, unknown>
}

export interface UpdateKeyPatch {
  name?: string
  material?: KeyMaterial
  keyId?: string
  group?: string
  endpointIds?: string[]
  pathPrefixes?: string[]
  notes?: string
  options?: Record<string, unknown>
}

/**
 * Keyring entries. Lifecycle as in encrypted-payload providers: activating a key moves its
 * group's previous ACTIVE key to DELETED; a DELETED key never comes back.
 */
export type KeyStatus = 'INACTIVE' | 'ACTIVE' | 'DELETED'

/** The secret parts of a key. Only `keys.reveal` and the engine itself ever see these. */
export interface KeyMaterial {
  /** HMAC secret as the provider shows it, expected API key / Basic `user:pass` / Bearer token, AES key. */
  secret?: string
  /** PEM (SPKI), JWK JSON, hex/base64 raw key (Ed25519 `whpk_…`, Discord hex). */
  publicKey?: string
  /** PEM (PKCS#8) or JWK JSON, for JWE decryption. */
  privateKey?: string
  /** PEM certificate or chain (first = leaf), or a trusted root for `x5c` chains. */
  certificate?: string
  /** A JSON Web Key Set. */
  jwks?: { keys: Record<string, unknown>[] }
}

export type KeyMaterialField = keyof KeyMaterial

/** What lists and events carry: everything but the material, plus which fields are present. */
export interface KeySummary {
  id: string
  name: string
  scheme: string
  /** Provider-side key id (e.g. `whk_20251021_01`), used to pick the key named in an envelope or JWS header. */
  keyId: string | null
  /** Keys of one group rotate together; defaults to the scheme id. */
  group: string
  status: KeyStatus
  createdAt: number
  activatedAt: number | null
  deletedAt: number | null
  /** Empty: applies to every endpoint. */
  endpointIds: string[]
  /** Empty: applies to every path. */
  pathPrefixes: string[]
  notes: string
  /** Non-secret scheme options (header names, algorithm, tolerance...). */
  options: Record<string, unknown>
  fields: KeyMaterialField[]
}

/** A key as verification uses it (engine side only). */
export interface KeyEntry extends KeySummary {
  material: KeyMaterial
}

/** `whk_YYYYMMDD_NN`: the key-id format of encrypted-payload providers. */
export const WHK_KEY_ID = /^whk_(\d{4})(\d{2})(\d{2})_(\d{2})$/

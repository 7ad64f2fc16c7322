import type { KeyMaterial, KeyMaterialField } from '../../../shared/model/keyring'
import { openGcm, sealGcm } from './aes-gcm'

/** Canonical order, so `fields` reads the same whatever order the input had. */
export const MATERIAL_FIELDS: readonly KeyMaterialField[] = ['secret', 'publicKey', 'privateKey', 'certificate', 'jwks']

/** Keeps only the known material fields that are set (input may carry extra or undefined keys). */
export function normalizeMaterial(input: KeyMaterial): KeyMaterial {
  const material: KeyMaterial = {}
  for (const field of MATERIAL_FIELDS) {
    const value = input[field]
    if (value === undefined || value === null) continue
    ;(material as Record<string, unknown>)[field] = value
  }
  return material
}

export function materialFields(material: KeyMaterial): KeyMaterialField[] {
  return MATERIAL_FIELDS.filter((field) => material[field] !== undefined)
}

/**
 * Material at rest: AES-256-GCM under the data key, with the key's row id as AAD so a box copied
 * onto another row (swapping two keys' secrets) fails to open instead of verifying with the wrong key.
 */
export function sealMaterial(dataKey: Buffer, rowId: string, material: KeyMaterial): Buffer {
  const plaintext = Buffer.from(JSON.stringify(normalizeMaterial(material)), 'utf8')
  try {
    return sealGcm(dataKey, plaintext, Buffer.from(rowId, 'utf8'))
  } finally {
    plaintext.fill(0)
  }
}

/** Throws when the box does not open under this key and row id, or holds something that is not material. */
export function openMaterial(dataKey: Buffer, rowId: string, sealed: Buffer): KeyMaterial {
  const plaintext = openGcm(dataKey, sealed, Buffer.from(rowId, 'utf8'))
  try {
    const parsed = JSON.parse(plaintext.toString('utf8')) as unknown
    if (!isMaterial(parsed)) throw new Error('decrypted material has an unexpected shape')
    return normalizeMaterial(parsed)
  } finally {
    plaintext.fill(0)
  }
}

function isMaterial(value: unknown): value is KeyMaterial {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as Record<string, unknown>
  for (const field of ['secret', 'publicKey', 'privateKey', 'certificate'] as const) {
    if (record[field] !== undefined && typeof record[field] !== 'string') return false
  }
  const jwks = record.jwks as { keys?: unknown } | undefined
  return jwks === undefined || (typeof jwks === 'object' && jwks !== null && Array.isArray(jwks.keys))
}

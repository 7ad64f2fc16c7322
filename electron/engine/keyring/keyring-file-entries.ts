import { type KeyringFile, type KeyringFileEntry, keyringFileSchema } from '../../../shared/api/keyring-file'
import { EngineError } from '../../../shared/errors'
import type { KeyMaterial, KeySummary } from '../../../shared/model/keyring'
import { normalizeMaterial } from './key-material'

/**
 * Validates a plaintext keyring file as a whole. Issues name the path (`keys.3.scheme`) and zod's
 * sentence, which describes the expected shape, never the value found there.
 */
export function parseKeyringFile(value: unknown, what: string): KeyringFile {
  const result = keyringFileSchema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : 'file'}: ${issue.message}`)
  throw new EngineError('BAD_INPUT', `${what}: ${issues.join('; ')}; nothing imported`)
}

export function materialOfEntry(entry: KeyringFileEntry): KeyMaterial {
  return normalizeMaterial({
    secret: entry.secret,
    publicKey: entry.publicKey,
    privateKey: entry.privateKey,
    certificate: entry.certificate,
    jwks: entry.jwks
  })
}

/** A stored key as a keyring-file entry (for bundles). Timestamps have no place in the file format. */
export function toFileEntry(summary: KeySummary, material: KeyMaterial): KeyringFileEntry {
  const entry: KeyringFileEntry = {
    id: summary.id,
    name: summary.name,
    scheme: summary.scheme,
    ...normalizeMaterial(material),
    group: summary.group,
    status: summary.status,
    endpointIds: summary.endpointIds,
    pathPrefixes: summary.pathPrefixes,
    notes: summary.notes,
    options: summary.options
  }
  if (summary.keyId !== null) entry.keyId = summary.keyId
  return entry
}

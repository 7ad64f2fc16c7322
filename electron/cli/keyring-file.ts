import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { KeyringFile } from '../../shared/api/keyring-file'
import { isEngineError } from '../../shared/errors'
import type { KeyEntry, KeyMaterialField } from '../../shared/model/keyring'
import { materialOfEntry, parseKeyringFile } from '../engine/keyring/keyring-file-entries'
import { checkKeyForScheme } from '../engine/verify/registry'
import { UsageError } from './usage-error'

/** A JSON file given on the command line; unreadable or not JSON is a usage error naming `what`. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(resolve(path), 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`the ${what} file ${path} is not valid JSON`)
  }
}

/**
 * `--keyring FILE` (`verify`, `send`): a plaintext keyring file as key entries, each checked
 * against its scheme. Keys without an id are `key1`, `key2`... in file order.
 */
export function readKeyringFile(path: string): KeyEntry[] {
  let file: KeyringFile
  try {
    file = parseKeyringFile(readJsonFile(path, 'keyring'), 'keyring file')
  } catch (error) {
    if (isEngineError(error)) throw new UsageError(error.message.replace(/; nothing imported$/, ''))
    throw error
  }
  return file.keys.map((entry, index) => {
    const material = materialOfEntry(entry)
    const options = entry.options ?? {}
    const problem = checkKeyForScheme(entry.scheme, { material, options, keyId: entry.keyId ?? null })
    if (problem) throw new UsageError(`keyring file: keys.${index} (${entry.id ?? entry.scheme}): ${problem}`)
    return {
      id: entry.id ?? `key${index + 1}`,
      name: entry.name ?? entry.id ?? `key ${index + 1}`,
      scheme: entry.scheme,
      keyId: entry.keyId ?? null,
      group: entry.group ?? entry.scheme,
      status: entry.status ?? 'ACTIVE',
      createdAt: 0,
      activatedAt: null,
      deletedAt: null,
      endpointIds: [],
      pathPrefixes: entry.pathPrefixes ?? [],
      notes: entry.notes ?? '',
      options,
      fields: Object.keys(material) as KeyMaterialField[],
      material
    }
  })
}

/** The prefix of an encrypted keyring bundle (`hookscope-keyring-v1.<header>.<ciphertext>`). */
export const BUNDLE_PREFIX = 'hookscope-keyring-v1.'

export type ImportSource = { kind: 'keyring'; keyring: unknown } | { kind: 'bundle'; bundle: string } | { kind: 'invalid'; error: string }

/**
 * What a picked file holds: an encrypted bundle (needs its passphrase) or a plaintext keyring
 * JSON file (the engine validates its entries and reports the ones it skips).
 */
export function readImportFile(text: string): ImportSource {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed.startsWith(BUNDLE_PREFIX)) return { kind: 'bundle', bundle: trimmed }
  if (trimmed === '') return { kind: 'invalid', error: 'The file is empty' }
  try {
    return { kind: 'keyring', keyring: JSON.parse(trimmed) as unknown }
  } catch (error) {
    return { kind: 'invalid', error: `Neither a keyring JSON file nor an encrypted bundle (${error instanceof Error ? error.message : 'not JSON'})` }
  }
}

import type { KeyProtector } from '../engine/engine-types'

/**
 * The slice of Electron's `safeStorage` we use, declared structurally so this file (and its test)
 * needs no 'electron' import: the Electron main passes the real `safeStorage` in.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only in Electron; absent or not meaningful elsewhere. */
  getSelectedStorageBackend?(): string
}

/**
 * Protects the keyring's data key with the OS keychain (Keychain, DPAPI, libsecret/kwallet).
 * Returns undefined when that protection would be fake, and the desktop then falls back to a
 * passphrase: when encryption is unavailable, and on Linux when safeStorage would use its
 * `basic_text` backend (a hard-coded password, i.e. no protection at all). Call after app `ready`:
 * before it, Linux and Windows report encryption as unavailable.
 */
export function createOsKeyProtector(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): KeyProtector | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined
  if (platform === 'linux' && typeof safeStorage.getSelectedStorageBackend === 'function') {
    const backend = safeStorage.getSelectedStorageBackend()
    if (backend === 'basic_text' || backend === 'unknown') return undefined
  }
  return {
    kind: 'os',
    // safeStorage works on strings; base64 carries the 32 raw key bytes losslessly.
    protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unprotect: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64')
  }
}

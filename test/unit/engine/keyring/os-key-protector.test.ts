import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createOsKeyProtector, type SafeStorageLike } from '../../../../electron/main/os-key-protector'
import { makeTempDir } from '../../../helpers/temp-dir'
import { openKeyring } from './keyring-fixture'

/** A stand-in for Electron's safeStorage: AES-GCM under a per-"user" key, recording what it was given. */
function fakeSafeStorage(options: { available?: boolean; backend?: string; userKey?: Buffer } = {}) {
  const userKey = options.userKey ?? randomBytes(32)
  const seen: string[] = []
  const storage: SafeStorageLike = {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString(plainText) {
      seen.push(plainText)
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', userKey, iv)
      return Buffer.concat([iv, cipher.update(plainText, 'utf8'), cipher.final(), cipher.getAuthTag()])
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', userKey, encrypted.subarray(0, 12))
      decipher.setAuthTag(encrypted.subarray(encrypted.length - 16))
      return Buffer.concat([decipher.update(encrypted.subarray(12, encrypted.length - 16)), decipher.final()]).toString('utf8')
    }
  }
  if (options.backend !== undefined) storage.getSelectedStorageBackend = () => options.backend!
  return { storage, seen }
}

let dir: ReturnType<typeof makeTempDir> | undefined
afterEach(() => dir?.remove())

describe('createOsKeyProtector', () => {
  it('is undefined when safeStorage cannot encrypt (the desktop then asks for a passphrase)', () => {
    expect(createOsKeyProtector(fakeSafeStorage({ available: false }).storage, 'linux')).toBeUndefined()
    expect(createOsKeyProtector(fakeSafeStorage({ available: false }).storage, 'darwin')).toBeUndefined()
  })

  it('is undefined on Linux when safeStorage would use its hard-coded basic_text password', () => {
    expect(createOsKeyProtector(fakeSafeStorage({ backend: 'basic_text' }).storage, 'linux')).toBeUndefined()
    expect(createOsKeyProtector(fakeSafeStorage({ backend: 'unknown' }).storage, 'linux')).toBeUndefined()
    expect(createOsKeyProtector(fakeSafeStorage({ backend: 'gnome_libsecret' }).storage, 'linux')).toBeDefined()
    expect(createOsKeyProtector(fakeSafeStorage({ backend: 'kwallet6' }).storage, 'linux')).toBeDefined()
    expect(createOsKeyProtector(fakeSafeStorage().storage, 'darwin')?.kind).toBe('os')
  })

  it('round-trips the raw key bytes through safeStorage as base64', () => {
    const { storage, seen } = fakeSafeStorage()
    const protector = createOsKeyProtector(storage, 'win32')!
    const key = randomBytes(32)
    const wrapped = protector.protect(key)
    expect(seen).toEqual([key.toString('base64')])
    expect(wrapped.includes(key)).toBe(false)
    expect(protector.unprotect(wrapped).equals(key)).toBe(true)
    expect(() => createOsKeyProtector(fakeSafeStorage().storage, 'win32')!.unprotect(wrapped)).toThrow()
  })

  it('drives the keyring: set up once, unlocked again after a restart by the same user only', () => {
    dir = makeTempDir()
    const userKey = randomBytes(32)
    const first = openKeyring(dir.path, { osProtector: createOsKeyProtector(fakeSafeStorage({ userKey }).storage, 'darwin') })
    expect(first.keyring.unlockWithOs()).toBe(true)
    const key = first.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: 'whsec_os-protected' } })
    first.db.close()

    const again = openKeyring(dir.path, { osProtector: createOsKeyProtector(fakeSafeStorage({ userKey }).storage, 'darwin') })
    expect(again.keyring.unlockWithOs()).toBe(true)
    expect(again.keyring.reveal(key.id)).toEqual({ secret: 'whsec_os-protected' })
    again.db.close()

    const otherUser = openKeyring(dir.path, { osProtector: createOsKeyProtector(fakeSafeStorage().storage, 'darwin') })
    expect(otherUser.keyring.unlockWithOs()).toBe(false)
    otherUser.db.close()
  })
})

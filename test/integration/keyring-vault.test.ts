import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../helpers/temp-dir'
import { fakeOsProtector, type KeyringHarness, openKeyring, PASSPHRASE } from '../unit/engine/keyring/keyring-fixture'

let dir: ReturnType<typeof makeTempDir>
const open: KeyringHarness[] = []
function harness(options?: Parameters<typeof openKeyring>[1]): KeyringHarness {
  const h = openKeyring(dir.path, options)
  open.push(h)
  return h
}
function close(h: KeyringHarness): void {
  h.keyring.lock()
  h.db.close()
  open.splice(open.indexOf(h), 1)
}

beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => {
  for (const h of open.splice(0)) h.db.close()
  dir.remove()
})

const SECRET = 'whsec_vault-test-4f9a1c2e7b'

describe('vault with a passphrase', () => {
  it('uninitialized → setPassphrase → unlocked; reopened → locked; wrong passphrase refused; right one unlocks', () => {
    const first = harness()
    expect(first.keyring.status()).toEqual({ state: 'uninitialized', protections: [] })
    expect(first.keyring.entries()).toEqual({ locked: false, keys: [] })
    expect(() => first.keyring.create({ name: 'x', scheme: 'stripe', material: { secret: SECRET } })).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect(() => first.keyring.unlock(PASSPHRASE)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))

    expect(first.keyring.setPassphrase(PASSPHRASE)).toEqual({ state: 'unlocked', protections: ['passphrase'] })
    const key = first.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: SECRET } })
    close(first)

    const second = harness()
    expect(second.keyring.status()).toEqual({ state: 'locked', protections: ['passphrase'] })
    // Metadata is readable while locked; material is not.
    expect(second.keyring.list().map((summary) => summary.id)).toEqual([key.id])
    expect(second.keyring.entries()).toEqual({ locked: true, keys: [] })
    expect(() => second.keyring.reveal(key.id)).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect(() => second.keyring.setPassphrase('another passphrase')).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
    expect(() => second.keyring.unlock('not the passphrase')).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE', message: 'wrong passphrase' }))
    expect(second.keyring.status().state).toBe('locked')

    expect(second.keyring.unlock(PASSPHRASE)).toEqual({ state: 'unlocked', protections: ['passphrase'] })
    expect(second.keyring.entries()).toMatchObject({ locked: false, keys: [{ id: key.id, material: { secret: SECRET } }] })
    expect(second.keyring.reveal(key.id)).toEqual({ secret: SECRET })
  })

  it('stores the scrypt parameters with the wrap (N=2^15, r=8, p=1, 16-byte salt)', () => {
    const h = harness()
    h.keyring.setPassphrase(PASSPHRASE)
    const row = h.db.prepare(`SELECT params, wrapped FROM vault_wraps WHERE kind = 'passphrase'`).get() as { params: string; wrapped: Buffer }
    const params = JSON.parse(row.params) as Record<string, unknown>
    expect(params).toMatchObject({ kdf: 'scrypt', N: 32768, r: 8, p: 1 })
    expect(Buffer.from(params.salt as string, 'base64url')).toHaveLength(16)
    expect(row.wrapped).toHaveLength(12 + 32 + 16) // iv | wrapped data key | tag
  })

  it('changing the passphrase rewraps the same data key: the old one stops working, the keys stay readable', () => {
    const h = harness()
    h.keyring.setPassphrase(PASSPHRASE)
    const key = h.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: SECRET } })
    h.keyring.setPassphrase('a brand new passphrase')
    close(h)
    const again = harness()
    expect(() => again.keyring.unlock(PASSPHRASE)).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE' }))
    again.keyring.unlock('a brand new passphrase')
    expect(again.keyring.reveal(key.id)).toEqual({ secret: SECRET })
  })

  it('a damaged passphrase wrap is refused like a wrong passphrase', () => {
    const h = harness()
    h.keyring.setPassphrase(PASSPHRASE)
    close(h)
    const again = harness()
    const row = again.db.prepare(`SELECT wrapped FROM vault_wraps WHERE kind = 'passphrase'`).get() as { wrapped: Buffer }
    row.wrapped[20]! ^= 1
    again.db.prepare(`UPDATE vault_wraps SET wrapped = ? WHERE kind = 'passphrase'`).run(row.wrapped)
    expect(() => again.keyring.unlock(PASSPHRASE)).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE' }))
  })

  it('lock() zeroes the data key and forgets the decrypted keys', () => {
    const h = harness()
    h.keyring.setPassphrase(PASSPHRASE)
    h.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: SECRET } })
    expect(h.keyring.entries().keys).toHaveLength(1)
    // White-box on purpose: the requirement is about the bytes in memory, not observable behaviour.
    const dataKey = (h.keyring as unknown as { vault: { dataKey: Buffer } }).vault.dataKey
    expect(dataKey.some((byte) => byte !== 0)).toBe(true)
    h.keyring.lock()
    expect(dataKey.every((byte) => byte === 0)).toBe(true)
    expect(h.keyring.status().state).toBe('locked')
    expect(h.keyring.entries()).toEqual({ locked: true, keys: [] })
    expect(() => h.keyring.reveal(h.keyring.list()[0]!.id)).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
  })
})

describe('vault with the OS keychain', () => {
  it('unlockWithOs sets up a new vault, unlocks it again after a restart, and shares the data key with a passphrase wrap', () => {
    const machine = fakeOsProtector()
    const first = harness({ osProtector: machine })
    expect(first.keyring.unlockWithOs()).toBe(true)
    expect(first.keyring.status()).toEqual({ state: 'unlocked', protections: ['os'] })
    expect(first.events).toEqual([{ type: 'keys.changed' }])
    const key = first.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: SECRET } })
    expect(first.keyring.setPassphrase(PASSPHRASE)).toEqual({ state: 'unlocked', protections: ['os', 'passphrase'] })
    close(first)

    const viaOs = harness({ osProtector: machine })
    expect(viaOs.keyring.status().state).toBe('locked')
    expect(viaOs.keyring.unlockWithOs()).toBe(true)
    expect(viaOs.keyring.reveal(key.id)).toEqual({ secret: SECRET })
    close(viaOs)

    // Headless on the same folder: no keychain, the passphrase opens the same data key.
    const viaPassphrase = harness()
    expect(viaPassphrase.keyring.unlockWithOs()).toBe(false)
    viaPassphrase.keyring.unlock(PASSPHRASE)
    expect(viaPassphrase.keyring.reveal(key.id)).toEqual({ secret: SECRET })
  })

  it('another machine’s keychain cannot unlock it (the vault stays locked, a warning is logged)', () => {
    const first = harness({ osProtector: fakeOsProtector() })
    first.keyring.unlockWithOs()
    close(first)
    const elsewhere = harness({ osProtector: fakeOsProtector() })
    expect(elsewhere.keyring.unlockWithOs()).toBe(false)
    expect(elsewhere.keyring.status()).toEqual({ state: 'locked', protections: ['os'] })
    expect(elsewhere.logs.some((line) => line.includes('"warn"'))).toBe(true)
    expect(() => elsewhere.keyring.unlock(PASSPHRASE)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })

  it('an OS keychain that hands back the wrong 32 bytes is caught by the check value', () => {
    const first = harness({ osProtector: fakeOsProtector() })
    first.keyring.unlockWithOs()
    close(first)
    // Like unauthenticated AES-CBC decrypting under a wrong key: plausible length, wrong bytes.
    const liar = { kind: 'os' as const, protect: (plain: Buffer) => plain, unprotect: () => Buffer.alloc(32, 7) }
    const again = harness({ osProtector: liar })
    expect(again.keyring.unlockWithOs()).toBe(false)
    expect(again.keyring.status().state).toBe('locked')
  })

  it('a passphrase-only vault is not touched by unlockWithOs', () => {
    const first = harness()
    first.keyring.setPassphrase(PASSPHRASE)
    close(first)
    const desktop = harness({ osProtector: fakeOsProtector() })
    expect(desktop.keyring.unlockWithOs()).toBe(false)
    expect(desktop.keyring.status()).toEqual({ state: 'locked', protections: ['passphrase'] })
  })
})

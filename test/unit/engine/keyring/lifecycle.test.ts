import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../../../helpers/temp-dir'
import { fakeClock, type KeyringHarness, openKeyring, PASSPHRASE } from './keyring-fixture'

let dir: ReturnType<typeof makeTempDir>
let h: KeyringHarness
const T0 = Date.UTC(2025, 9, 21, 12, 0, 0)

beforeEach(() => {
  dir = makeTempDir()
  h = openKeyring(dir.path, { clock: fakeClock(T0) })
  h.keyring.setPassphrase(PASSPHRASE)
})
afterEach(() => {
  h.db.close()
  dir.remove()
})

const aes = (name: string, keyId: string, status?: 'ACTIVE' | 'INACTIVE') =>
  h.keyring.create({ name, scheme: 'aes-256-gcm', keyId, material: { secret: `aes-secret-${name}-0123456789` }, status })

describe('key lifecycle', () => {
  it('creates ACTIVE by default with times from the clock, and an id like key_ + 12 base32', () => {
    const key = h.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: 'whsec_abc' } })
    expect(key).toMatchObject({ status: 'ACTIVE', createdAt: T0, activatedAt: T0, deletedAt: null, group: 'stripe', fields: ['secret'] })
    expect(key.id).toMatch(/^key_[0-9a-hjkmnp-tv-z]{12}$/)
  })

  it('activate moves the group’s previous ACTIVE key to DELETED, with times from the clock', () => {
    const first = aes('first', 'whk_20251021_01')
    h.clock.set(T0 + 1000)
    const second = aes('second', 'whk_20251022_01', 'INACTIVE')
    expect(second).toMatchObject({ status: 'INACTIVE', activatedAt: null })

    h.clock.set(T0 + 5000)
    const changed = h.keyring.activate(second.id)
    expect(changed).toHaveLength(2)
    expect(changed.find((key) => key.id === second.id)).toMatchObject({ status: 'ACTIVE', activatedAt: T0 + 5000, deletedAt: null })
    expect(changed.find((key) => key.id === first.id)).toMatchObject({ status: 'DELETED', activatedAt: T0, deletedAt: T0 + 5000 })
    // ...and that is what the store says too.
    const stored = new Map(h.keyring.list().map((key) => [key.id, key]))
    expect(stored.get(first.id)).toMatchObject({ status: 'DELETED', deletedAt: T0 + 5000 })
    expect(stored.get(second.id)).toMatchObject({ status: 'ACTIVE', activatedAt: T0 + 5000 })
  })

  it('creating a key as ACTIVE applies the same rule', () => {
    const first = aes('first', 'whk_20251021_01')
    h.clock.set(T0 + 7000)
    aes('second', 'whk_20251022_01')
    expect(h.keyring.list().find((key) => key.id === first.id)).toMatchObject({ status: 'DELETED', deletedAt: T0 + 7000 })
  })

  it('a DELETED key can never be reactivated', () => {
    const first = aes('first', 'whk_20251021_01')
    const second = aes('second', 'whk_20251022_01', 'INACTIVE')
    h.keyring.activate(second.id)
    expect(() => h.keyring.activate(first.id)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'a DELETED key can never be reactivated' }))
    const third = aes('third', 'whk_20251023_01', 'INACTIVE')
    h.keyring.delete(third.id)
    expect(() => h.keyring.activate(third.id)).toThrow(expect.objectContaining({ code: 'CONFLICT' }))
    expect(h.keyring.list().find((key) => key.id === second.id)?.status).toBe('ACTIVE')
  })

  it('activating an ACTIVE key changes nothing and emits nothing', () => {
    const only = aes('only', 'whk_20251021_01')
    const before = h.events.length
    expect(h.keyring.activate(only.id)).toEqual([])
    expect(h.events.length).toBe(before)
  })

  it('groups are independent', () => {
    const aesKey = aes('aes', 'whk_20251021_01')
    const stripeKey = h.keyring.create({ name: 'stripe', scheme: 'stripe', material: { secret: 'whsec_one' } })
    const otherGroup = h.keyring.create({ name: 'stripe b', scheme: 'stripe', group: 'stripe-eu', material: { secret: 'whsec_two' } })
    const next = h.keyring.create({ name: 'stripe 2', scheme: 'stripe', material: { secret: 'whsec_three' }, status: 'INACTIVE' })
    const changed = h.keyring.activate(next.id)
    expect(changed.map((key) => key.id).sort()).toEqual([next.id, stripeKey.id].sort())
    const status = Object.fromEntries(h.keyring.list().map((key) => [key.id, key.status]))
    expect(status).toEqual({ [aesKey.id]: 'ACTIVE', [stripeKey.id]: 'DELETED', [otherGroup.id]: 'ACTIVE', [next.id]: 'ACTIVE' })
  })

  it('delete keeps the material (verification can still name the key); remove purges the row', () => {
    const key = h.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: 'whsec_kept' } })
    h.clock.set(T0 + 42)
    expect(h.keyring.delete(key.id)).toMatchObject({ status: 'DELETED', deletedAt: T0 + 42 })
    expect(h.keyring.entries().keys.find((entry) => entry.id === key.id)).toMatchObject({
      status: 'DELETED',
      material: { secret: 'whsec_kept' }
    })
    expect(h.keyring.remove(key.id)).toBe(true)
    expect(h.keyring.remove(key.id)).toBe(false)
    expect(h.keyring.list()).toEqual([])
    expect(() => h.keyring.reveal(key.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('update changes metadata and material, checks the result with checkKey, and refuses two ACTIVE keys in one group', () => {
    const key = aes('aes', 'whk_20251021_01')
    const updated = h.keyring.update(key.id, { name: 'renamed', notes: 'rotated monthly', material: { secret: 'aes-new-secret-0123456789' } })
    expect(updated).toMatchObject({ name: 'renamed', notes: 'rotated monthly', keyId: 'whk_20251021_01' })
    expect(h.keyring.reveal(key.id)).toEqual({ secret: 'aes-new-secret-0123456789' })
    expect(() => h.keyring.update(key.id, { keyId: 'not-a-whk-id' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(h.keyring.list()[0]?.keyId).toBe('whk_20251021_01')

    const stripe = h.keyring.create({ name: 'stripe', scheme: 'stripe', material: { secret: 'whsec_x' } })
    expect(() => h.keyring.update(stripe.id, { group: 'aes-256-gcm' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }))
    expect(() => h.keyring.update('key_missing', { name: 'x' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('entries() reflects every change (the decrypted cache is invalidated)', () => {
    const key = h.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: 'whsec_v1' } })
    const first = h.keyring.entries()
    expect(h.keyring.entries().keys).toBe(first.keys) // cached between changes
    h.keyring.update(key.id, { material: { secret: 'whsec_v2' } })
    expect(h.keyring.entries().keys.map((entry) => entry.material.secret)).toEqual(['whsec_v2'])
    h.keyring.delete(key.id)
    expect(h.keyring.entries().keys[0]?.status).toBe('DELETED')
    h.keyring.remove(key.id)
    expect(h.keyring.entries().keys).toEqual([])
  })

  it('emits keys.changed after every change', () => {
    const count = () => h.events.length
    let before = count()
    const key = h.keyring.create({ name: 'Stripe', scheme: 'stripe', material: { secret: 'whsec_a' }, status: 'INACTIVE' })
    expect(count()).toBe(before + 1)
    for (const change of [
      () => h.keyring.update(key.id, { notes: 'n' }),
      () => h.keyring.activate(key.id),
      () => h.keyring.delete(key.id),
      () => h.keyring.remove(key.id),
      () => h.keyring.lock()
    ]) {
      before = count()
      change()
      expect(count()).toBe(before + 1)
    }
    expect(h.events.every((event) => JSON.stringify(event) === '{"type":"keys.changed"}')).toBe(true)
  })

  it('rejects keys the scheme does not accept, with its sentence, and stores nothing', () => {
    expect(() => h.keyring.create({ name: 'x', scheme: 'aes-256-gcm', material: { secret: 'aes-0123456789' } })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: 'aes-256-gcm needs a keyId like whk_YYYYMMDD_NN' })
    )
    expect(() => h.keyring.create({ name: 'x', scheme: 'nope', material: { secret: 's' } })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => h.keyring.create({ name: 'x', scheme: 'stripe', material: {} })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(h.keyring.list()).toEqual([])
  })
})

import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeTempDir } from '../helpers/temp-dir'
import { type KeyringHarness, leakedIn, openKeyring, PASSPHRASE } from '../unit/engine/keyring/keyring-fixture'

let dir: ReturnType<typeof makeTempDir>
let h: KeyringHarness

beforeEach(() => {
  dir = makeTempDir()
  h = openKeyring(dir.path)
  h.keyring.setPassphrase(PASSPHRASE)
})
afterEach(() => {
  h.db.close()
  dir.remove()
})

function thrown(action: () => unknown): Error {
  try {
    action()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a throw')
}

describe('material swapped or copied between rows', () => {
  it('the box does not open on another row: those keys are left out and logged, the others still work', () => {
    const a = h.keyring.create({ name: 'a', scheme: 'stripe', group: 'a', material: { secret: 'whsec_row-a-1111111111' } })
    const b = h.keyring.create({ name: 'b', scheme: 'stripe', group: 'b', material: { secret: 'whsec_row-b-2222222222' } })
    const c = h.keyring.create({ name: 'c', scheme: 'stripe', group: 'c', material: { secret: 'whsec_row-c-3333333333' } })
    const boxOf = (id: string) => (h.db.prepare(`SELECT material FROM keys WHERE id = ?`).get(id) as { material: Buffer }).material
    const [boxA, boxB] = [boxOf(a.id), boxOf(b.id)]
    h.db.prepare(`UPDATE keys SET material = ? WHERE id = ?`).run(boxB, a.id)
    h.db.prepare(`UPDATE keys SET material = ? WHERE id = ?`).run(boxA, b.id)

    // A fresh Keyring over the edited store (as after a restart).
    const reopened = openKeyring(dir.path)
    try {
      reopened.keyring.unlock(PASSPHRASE)
      const { locked, keys } = reopened.keyring.entries()
      expect(locked).toBe(false)
      expect(keys.map((key) => [key.id, key.material.secret])).toEqual([[c.id, 'whsec_row-c-3333333333']])
      const warnings = reopened.logs.filter((line) => line.includes('"warn"'))
      expect(warnings.join('\n')).toContain(a.id)
      expect(warnings.join('\n')).toContain(b.id)

      const error = thrown(() => reopened.keyring.reveal(a.id))
      expect(error).toMatchObject({ code: 'INTERNAL' })
      expect(() => reopened.keyring.exportBundle('export passphrase')).toThrow(expect.objectContaining({ code: 'INTERNAL' }))
      // Removing the damaged keys makes the rest exportable again.
      reopened.keyring.remove(a.id)
      reopened.keyring.remove(b.id)
      expect(reopened.keyring.exportBundle('export passphrase')).toMatch(/^hookscope-keyring-v1\./)
      const secrets = ['whsec_row-a-1111111111', 'whsec_row-b-2222222222', 'whsec_row-c-3333333333']
      expect(leakedIn(error.message + reopened.logs.join('\n'), secrets)).toEqual([])
    } finally {
      reopened.db.close()
    }
  })
})

describe('no secret in errors, lists, events or logs', () => {
  it('across the whole API surface', () => {
    const secrets = {
      hmac: 'whsec_' + randomBytes(24).toString('base64'),
      basic: `bob:${randomBytes(12).toString('hex')}`,
      aes: randomBytes(32).toString('base64'),
      bundlePassphrase: `bundle-${randomBytes(8).toString('hex')}`
    }
    const all = [...Object.values(secrets), PASSPHRASE]
    const messages: string[] = []
    const expectError = (action: () => unknown) => messages.push(thrown(action).message)

    const stripe = h.keyring.create({ name: 'stripe', scheme: 'stripe', material: { secret: secrets.hmac }, notes: 'prod' })
    const basic = h.keyring.create({ name: 'basic', scheme: 'basic', material: { secret: secrets.basic }, status: 'INACTIVE' })
    h.keyring.create({ name: 'aes', scheme: 'aes-256-gcm', keyId: 'whk_20251021_01', material: { secret: secrets.aes } })
    h.keyring.update(stripe.id, { material: { secret: secrets.hmac + 'x' } })
    h.keyring.activate(basic.id)
    const bundle = h.keyring.exportBundle(secrets.bundlePassphrase)

    // Failures that had secrets in hand.
    expectError(() => h.keyring.create({ name: 'x', scheme: 'aes-256-gcm', material: { secret: secrets.aes } }))
    expectError(() => h.keyring.create({ name: 'x', scheme: 'basic', material: { secret: secrets.hmac } }))
    expectError(() => h.keyring.update(basic.id, { material: { secret: secrets.hmac } }))
    expectError(() => h.keyring.unlock(secrets.hmac))
    expectError(() => h.keyring.importBundle(bundle, secrets.hmac))
    expectError(() => h.keyring.importBundle(bundle.slice(0, -6) + 'AAAAAA', secrets.bundlePassphrase))
    expectError(() => h.keyring.importKeyring({ keys: [{ scheme: 'stripe', secret: secrets.hmac, notes: 7 }] }))
    expectError(() => h.keyring.importKeyring({ keys: [{ scheme: 'stripe', secret: secrets.hmac, status: secrets.aes }] }))
    expectError(() => h.keyring.importKeyring({ keys: [{ scheme: 'stripe', [secrets.basic.slice(0, 3)]: secrets.hmac }] }))
    h.keyring.delete(stripe.id)
    expectError(() => h.keyring.activate(stripe.id))
    const skipped = h.keyring.importKeyring({
      keys: [
        { scheme: 'basic', secret: secrets.hmac },
        { scheme: 'nope', secret: secrets.aes }
      ]
    })
    expect(skipped.imported).toBe(0)
    h.keyring.lock()
    expectError(() => h.keyring.reveal(stripe.id))
    expectError(() => h.keyring.exportBundle(secrets.bundlePassphrase))
    h.keyring.unlock(PASSPHRASE)

    expect(messages).toHaveLength(12)
    expect(leakedIn(messages.join('\n'), all)).toEqual([])
    expect(leakedIn(JSON.stringify(skipped), all)).toEqual([])
    const listed = JSON.stringify(h.keyring.list())
    expect(listed).toContain('stripe') // the scan is over real content
    expect(leakedIn(listed, all)).toEqual([])
    expect(h.keyring.list().every((summary) => !('material' in summary))).toBe(true)
    expect(h.events.length).toBeGreaterThan(5)
    expect(leakedIn(JSON.stringify(h.events), all)).toEqual([])
    expect(h.logs.length).toBeGreaterThan(5)
    expect(leakedIn(h.logs.join('\n'), all)).toEqual([])

    // And the one deliberate way out does work.
    expect(h.keyring.reveal(basic.id)).toEqual({ secret: secrets.basic })
  })
})

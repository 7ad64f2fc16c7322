import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { KeyEntry } from '../../shared/model/keyring'
import { makeTempDir } from '../helpers/temp-dir'
import { type KeyringHarness, leakedIn, openKeyring, PASSPHRASE } from '../unit/engine/keyring/keyring-fixture'

let dirs: ReturnType<typeof makeTempDir>[] = []
let harnesses: KeyringHarness[] = []
function fresh(passphrase = PASSPHRASE): KeyringHarness {
  const dir = makeTempDir()
  dirs.push(dir)
  const h = openKeyring(dir.path)
  harnesses.push(h)
  h.keyring.setPassphrase(passphrase)
  return h
}

beforeEach(() => {
  dirs = []
  harnesses = []
})
afterEach(() => {
  for (const h of harnesses) h.db.close()
  for (const dir of dirs) dir.remove()
})

const S1 = 'whsec_import-one-7d1e93a0'
const S2 = 'whsec_import-two-2b8c55f1'
const AES = 'aes-import-secret-9c0d4e1f'

describe('importing the plaintext keyring file', () => {
  it('imports what fits in one go and reports the rest by index', () => {
    const h = fresh()
    const existing = h.keyring.create({ name: 'existing', scheme: 'stripe', material: { secret: 'whsec_existing-0000' } })
    const eventsBefore = h.events.length
    const result = h.keyring.importKeyring({
      keys: [
        { id: 'stripe-a', scheme: 'stripe', secret: S1, name: 'Stripe A', endpointIds: ['ep-1'], pathPrefixes: ['/hooks'] },
        { id: 'aes-no-kid', scheme: 'aes-256-gcm', secret: AES }, // checkKey: needs a whk keyId
        { id: existing.id, scheme: 'stripe', secret: S2 }, // id taken
        { scheme: 'aes-256-gcm', secret: AES, keyId: 'whk_20251021_01', status: 'DELETED' },
        { id: 'stripe-a', scheme: 'stripe', secret: S2 }, // same id twice in the file
        { scheme: 'unknown-scheme', secret: S2 },
        { id: 'stripe-b', scheme: 'stripe', secret: S2, status: 'ACTIVE', options: { tolerance: 300 } }
      ]
    })
    expect(result).toEqual({
      imported: 3,
      skipped: [
        { index: 1, reason: 'aes-256-gcm needs a keyId like whk_YYYYMMDD_NN' },
        { index: 2, reason: 'id already in the keyring' },
        { index: 4, reason: 'id appears earlier in the file' },
        { index: 5, reason: 'unknown scheme "unknown-scheme"' }
      ]
    })
    expect(h.events.length).toBe(eventsBefore + 1)
    const byId = new Map(h.keyring.entries().keys.map((key) => [key.id, key]))
    expect(byId.get('stripe-a')).toMatchObject({
      name: 'Stripe A',
      status: 'ACTIVE',
      endpointIds: ['ep-1'],
      pathPrefixes: ['/hooks'],
      material: { secret: S1 }
    })
    expect(byId.get('stripe-b')).toMatchObject({ status: 'ACTIVE', options: { tolerance: 300 }, material: { secret: S2 } })
    // File statuses are kept as they are: no activation rule, DELETED stays DELETED.
    expect(byId.get(existing.id)?.status).toBe('ACTIVE')
    const deleted = [...byId.values()].find((key) => key.keyId === 'whk_20251021_01')
    expect(deleted).toMatchObject({ status: 'DELETED', scheme: 'aes-256-gcm', group: 'aes-256-gcm', material: { secret: AES } })
    expect(deleted?.id).toMatch(/^key_/)
    expect(JSON.stringify(result)).not.toContain('whsec_')
  })

  it('refuses a file that fails the schema, naming the path, and imports nothing', () => {
    const h = fresh()
    const attempt = () =>
      h.keyring.importKeyring({
        keys: [
          { id: 'ok', scheme: 'stripe', secret: S1 },
          { id: 'bad', scheme: 'stripe', secret: S2, status: S2 } // a secret where a status belongs
        ]
      })
    expect(attempt).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('keys.1.status') }))
    expect(h.keyring.list()).toEqual([])
    for (const file of [null, [], { keys: 'nope' }, { keys: [], extra: true }]) {
      expect(() => h.keyring.importKeyring(file)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    }
    // The message describes the problem, never the value found (which may be a secret).
    try {
      attempt()
    } catch (error) {
      expect(leakedIn((error as Error).message, [S1, S2])).toEqual([])
    }
  })

  it('needs the vault unlocked', () => {
    const h = fresh()
    h.keyring.lock()
    expect(() => h.keyring.importKeyring({ keys: [{ scheme: 'stripe', secret: S1 }] })).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
  })
})

describe('encrypted bundles', () => {
  function populated(): KeyringHarness {
    const h = fresh()
    const old = h.keyring.create({ name: 'aes old', scheme: 'aes-256-gcm', keyId: 'whk_20251020_01', material: { secret: AES } })
    h.keyring.create({
      name: 'aes new',
      scheme: 'aes-256-gcm',
      keyId: 'whk_20251021_01',
      material: { secret: AES + '-2' },
      endpointIds: ['ep-1'],
      notes: 'rotated',
      options: { header: 'x-enc' }
    })
    h.keyring.create({ name: 'stripe', scheme: 'stripe', material: { secret: S1 }, status: 'INACTIVE' })
    expect(h.keyring.list().find((key) => key.id === old.id)?.status).toBe('DELETED')
    return h
  }

  it('round-trips every key, material and metadata into a fresh data folder', () => {
    const source = populated()
    const bundle = source.keyring.exportBundle('bundle passphrase 1')
    expect(bundle.startsWith('hookscope-keyring-v1.')).toBe(true)
    expect(leakedIn(bundle, [S1, AES, 'bundle passphrase 1', PASSPHRASE])).toEqual([])

    const target = fresh('a different vault passphrase')
    expect(target.keyring.importBundle(bundle, 'bundle passphrase 1')).toEqual({ imported: 3, skipped: [] })
    const strip = ({ createdAt: _c, activatedAt: _a, deletedAt: _d, ...rest }: KeyEntry) => rest
    expect(target.keyring.entries().keys.map(strip)).toEqual(source.keyring.entries().keys.map(strip))

    // Importing the same bundle again: every id is already there.
    expect(target.keyring.importBundle(bundle, 'bundle passphrase 1').skipped).toHaveLength(3)
  })

  it('a wrong passphrase or a tampered bundle is BAD_PASSPHRASE; something else entirely is BAD_INPUT', () => {
    const source = populated()
    const bundle = source.keyring.exportBundle('bundle passphrase 1')
    const target = fresh()
    const refused = expect.objectContaining({ code: 'BAD_PASSPHRASE', message: 'wrong passphrase or damaged bundle' })

    expect(() => target.keyring.importBundle(bundle, 'bundle passphrase 2')).toThrow(refused)

    const [prefix, header, body] = bundle.split('.') as [string, string, string]
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)
    expect(() => target.keyring.importBundle(`${prefix}.${header}.${flip(body, 10)}`, 'bundle passphrase 1')).toThrow(refused)
    expect(() => target.keyring.importBundle(`${prefix}.${header}.${flip(body, body.length - 3)}`, 'bundle passphrase 1')).toThrow(refused)

    // The clear header is the AAD: even an edit that leaves every parameter as it was breaks the tag.
    const parsed = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>
    const edited = Buffer.from(JSON.stringify({ ...parsed, note: 'harmless?' })).toString('base64url')
    expect(() => target.keyring.importBundle(`${prefix}.${edited}.${body}`, 'bundle passphrase 1')).toThrow(refused)
    const salted = Buffer.from(JSON.stringify({ ...parsed, salt: Buffer.alloc(16, 1).toString('base64url') })).toString('base64url')
    expect(() => target.keyring.importBundle(`${prefix}.${salted}.${body}`, 'bundle passphrase 1')).toThrow(refused)

    expect(() => target.keyring.importBundle('{"keys": []}', 'bundle passphrase 1')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(target.keyring.list()).toEqual([])
  })

  it('export needs the vault unlocked and a passphrase of at least 8 characters', () => {
    const h = populated()
    expect(() => h.keyring.exportBundle('short')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    h.keyring.lock()
    expect(() => h.keyring.exportBundle('long enough passphrase')).toThrow(expect.objectContaining({ code: 'VAULT_LOCKED' }))
  })
})

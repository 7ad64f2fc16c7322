import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../electron/engine/store/open-database'
import { makeTempDir } from '../helpers/temp-dir'
import { fakeOsProtector, type KeyringHarness, leakBytes, openKeyring, PASSPHRASE } from '../unit/engine/keyring/keyring-fixture'

let dir: ReturnType<typeof makeTempDir>
let h: KeyringHarness | undefined

beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => {
  if (h?.db.open) h.db.close()
  h = undefined
  dir.remove()
})

function distinctiveSecrets() {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  // The PEM's base64 body lines, each distinctive on its own (the header lines are not secret).
  const pemBody = pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'))
  return {
    hmac: 'whsec_' + randomBytes(24).toString('base64'),
    pem,
    pemBody,
    basic: `alice-${randomBytes(4).toString('hex')}:pa55-${randomBytes(12).toString('hex')}`,
    aes: randomBytes(32).toString('base64'),
    jwks: `jwks-k-${randomBytes(16).toString('hex')}`
  }
}

/** Which needles occur in which file, by name; {} when none. */
function scan(files: Record<string, Buffer>, needles: Record<string, string>): Record<string, string[]> {
  const found: Record<string, string[]> = {}
  for (const [name, secret] of Object.entries(needles)) {
    const hits = Object.entries(files)
      .filter(([, bytes]) => leakBytes(secret).some((form) => bytes.includes(form)))
      .map(([file]) => file)
    if (hits.length > 0) found[name] = hits
  }
  return found
}

function readIfExists(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined
}

describe('keyring at rest', () => {
  for (const protection of ['passphrase', 'os'] as const) {
    it(`the store file (and its WAL) holds no secret in clear (${protection})`, () => {
      const secrets = distinctiveSecrets()
      h = openKeyring(dir.path, protection === 'os' ? { osProtector: fakeOsProtector() } : {})
      if (protection === 'os') expect(h.keyring.unlockWithOs()).toBe(true)
      else h.keyring.setPassphrase(PASSPHRASE)
      const visibleName = `visible-name-${randomBytes(6).toString('hex')}`
      h.keyring.create({ name: visibleName, scheme: 'stripe', material: { secret: secrets.hmac } })
      h.keyring.create({ name: 'jwe', scheme: 'jwe', material: { privateKey: secrets.pem } })
      h.keyring.create({ name: 'basic', scheme: 'basic', material: { secret: secrets.basic } })
      h.keyring.create({ name: 'aes', scheme: 'aes-256-gcm', keyId: 'whk_20251021_01', material: { secret: secrets.aes } })
      const jwks = h.keyring.create({
        name: 'jwks',
        scheme: 'stripe',
        material: { secret: 'whsec_placeholder-0001', jwks: { keys: [{ kty: 'oct', k: secrets.jwks }] } }
      })
      // Updates rewrite the row: the old box must not leave plaintext behind either.
      h.keyring.update(jwks.id, { material: { secret: 'whsec_placeholder-0002', jwks: { keys: [{ kty: 'oct', k: secrets.jwks }] } } })
      h.keyring.entries() // the decrypted cache lives in memory only

      const needles: Record<string, string> = {
        hmac: secrets.hmac,
        basic: secrets.basic,
        aes: secrets.aes,
        jwks: secrets.jwks,
        passphrase: PASSPHRASE,
        ...Object.fromEntries(secrets.pemBody.map((line, index) => [`pem line ${index}`, line]))
      }
      const db = join(dir.path, DATABASE_FILE)

      // 1. While open: the main file and the WAL, before any checkpoint.
      const wal = readIfExists(`${db}-wal`)
      const beforeCheckpoint: Record<string, Buffer> = { db: readFileSync(db) }
      if (wal) beforeCheckpoint.wal = wal
      // Positive control: the scan does see what is written (metadata is stored in clear).
      expect(Object.values(beforeCheckpoint).some((bytes) => bytes.includes(Buffer.from(visibleName)))).toBe(true)
      expect(scan(beforeCheckpoint, needles)).toEqual({})

      // 2. After a full checkpoint and close: everything is in the main file.
      h.db.pragma('wal_checkpoint(TRUNCATE)')
      h.keyring.lock()
      h.db.close()
      const mainFile = readFileSync(db)
      const afterClose: Record<string, Buffer> = { db: mainFile }
      const leftover = readIfExists(`${db}-wal`)
      if (leftover) afterClose.wal = leftover
      expect(mainFile.includes(Buffer.from(visibleName))).toBe(true)
      expect(scan(afterClose, needles)).toEqual({})
    })
  }

  it('stores each material as iv | ciphertext | tag with the field list beside it', () => {
    h = openKeyring(dir.path)
    h.keyring.setPassphrase(PASSPHRASE)
    const key = h.keyring.create({ name: 'jwe', scheme: 'jwe', material: { privateKey: 'pem-ish', certificate: 'cert-ish' } })
    const row = h.db.prepare(`SELECT fields, material FROM keys WHERE id = ?`).get(key.id) as { fields: string; material: Buffer }
    expect(JSON.parse(row.fields)).toEqual(['privateKey', 'certificate'])
    const plaintextLength = Buffer.byteLength(JSON.stringify({ privateKey: 'pem-ish', certificate: 'cert-ish' }))
    expect(row.material.length).toBe(12 + plaintextLength + 16)
  })
})

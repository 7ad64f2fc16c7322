import { createPrivateKey, X509Certificate } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '../../electron/engine/store/open-database'
import { importClientCertificate } from '../../electron/engine/tls/trusted-issuers'
import { p256RequestArgs } from '../helpers/openssl-args'
import { makeTempDir } from '../helpers/temp-dir'
import { run } from '../helpers/tls-client'
import { openTlsHarness, type TlsHarness } from '../unit/engine/tls/tls-fixture'

let dir: ReturnType<typeof makeTempDir>
let h: TlsHarness | undefined

beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => {
  if (h?.db.open) h.db.close()
  h = undefined
  dir.remove()
})

/** Byte forms of a private key that must never reach the disk: DER (both encodings), PEM lines, and the secret numbers. */
function secretForms(keyPem: string): Record<string, Buffer> {
  const key = createPrivateKey(keyPem)
  const jwk = key.export({ format: 'jwk' })
  const forms: Record<string, Buffer> = {
    pkcs8Der: key.export({ type: 'pkcs8', format: 'der' }),
    pkcs1Der: key.export({ type: 'pkcs1', format: 'der' }),
    d: Buffer.from(jwk.d!, 'base64url'),
    p: Buffer.from(jwk.p!, 'base64url'),
    q: Buffer.from(jwk.q!, 'base64url')
  }
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    const pem = key.export({ type, format: 'pem' }) as string
    // Body lines past the first few carry the private exponent and primes (the first ones hold the public modulus too).
    const lines = pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'))
    for (const [index, line] of lines.entries()) forms[`${type} pem line ${index}`] = Buffer.from(line)
  }
  return forms
}

function leaks(files: Record<string, Buffer | undefined>, forms: Record<string, Buffer>): string[] {
  const found: string[] = []
  for (const [file, bytes] of Object.entries(files)) {
    if (!bytes) continue
    for (const [name, form] of Object.entries(forms)) if (bytes.includes(form)) found.push(`${name} in ${file}`)
  }
  return found
}

function readIfExists(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined
}

describe('certificate keys at rest', () => {
  it('neither hookscope.db nor its WAL holds the CA key or any issued/imported key in clear', async () => {
    h = openTlsHarness(dir.path)
    const ca = h.ca.ensureCa()
    const server = h.ca.issueServerCertificate(['hooks.test'])
    const client = h.ca.issueClientCertificate({ name: 'sender' })
    // An imported key (made by openssl, so not by our code path) goes through the sealer too.
    const keyFile = join(dir.path, 'imported.key')
    const certFile = join(dir.path, 'imported.crt')
    const made = await run('openssl', p256RequestArgs({ keyOut: keyFile, out: certFile, subject: '/CN=imported', days: 2 }))
    expect(made.exitCode, made.stderr).toBe(0)
    const importedKeyPem = readFileSync(keyFile, 'utf8')
    const imported = importClientCertificate(h.store, readFileSync(certFile, 'utf8'), importedKeyPem)

    const caKeyPem = h.store.privateKeyPem(ca.id)
    // The key in the store is the CA's: it signs what the CA certificate's public key verifies.
    expect(new X509Certificate(ca.certPem).checkPrivateKey(createPrivateKey(caKeyPem))).toBe(true)
    const forms: Record<string, Buffer> = {}
    for (const [label, pem] of [
      ['ca', caKeyPem],
      ['server', server.keyPem],
      ['client', client.keyPem]
    ] as const) {
      for (const [name, form] of Object.entries(secretForms(pem))) forms[`${label} ${name}`] = form
    }
    const ecKey = createPrivateKey(importedKeyPem)
    forms['imported ec d'] = Buffer.from(ecKey.export({ format: 'jwk' }).d!, 'base64url')
    forms['imported ec der'] = ecKey.export({ type: 'pkcs8', format: 'der' })
    expect(imported.hasKey).toBe(true)

    const db = join(dir.path, DATABASE_FILE)
    // Before the checkpoint the fresh pages are in the WAL; after it, in the main file.
    const before = { db: readIfExists(db), wal: readIfExists(db + '-wal') }
    expect(before.wal?.length ?? 0).toBeGreaterThan(0)
    h.db.pragma('wal_checkpoint(TRUNCATE)')
    const after = { db: readIfExists(db), wal: readIfExists(db + '-wal') }
    expect(after.db!.includes(Buffer.from(ca.certPem.split('\n')[1]!))).toBe(true) // the scan does see stored text
    expect(leaks({ 'db before': before.db, 'wal before': before.wal, db: after.db, wal: after.wal }, forms)).toEqual([])

    // Every key row holds a sealed box, and the rows are readable without the key.
    const rows = h.db.prepare(`SELECT kind, sealed_key FROM certificates ORDER BY kind`).all() as { kind: string; sealed_key: Buffer | null }[]
    expect(rows.map((row) => [row.kind, row.sealed_key !== null])).toEqual([
      ['ca', true],
      ['client', true],
      ['client', true],
      ['server', true]
    ])
  })

  it('a locked keyring stops signing but not reading or exporting the CA certificate', () => {
    h = openTlsHarness(dir.path)
    const ca = h.ca.ensureCa()
    h.sealer.locked = true
    expect(() => h!.ca.issueClientCertificate({ name: 'x' })).toThrow(/locked/)
    expect(() => h!.store.privateKeyPem(ca.id)).toThrow(/locked/)
    expect(h.ca.ensureCa().id).toBe(ca.id)
    expect(h.ca.summaries().map((summary) => summary.kind)).toEqual(['ca'])
  })

  it('a sealed key only opens for its own row', () => {
    h = openTlsHarness(dir.path)
    const a = h.ca.issueClientCertificate({ name: 'a' })
    const b = h.ca.issueClientCertificate({ name: 'b' })
    h.db.prepare(`UPDATE certificates SET sealed_key = (SELECT sealed_key FROM certificates WHERE id = ?) WHERE id = ?`).run(a.id, b.id)
    expect(() => h!.store.privateKeyPem(b.id)).toThrow()
    expect(h.store.privateKeyPem(a.id)).toBe(a.keyPem)
  })
})

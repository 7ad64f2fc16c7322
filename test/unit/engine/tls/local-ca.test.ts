import { createPrivateKey, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isIssuedBy } from '../../../../electron/engine/tls/cert-facts'
import { normalizeHosts } from '../../../../electron/engine/tls/local-ca'
import { LOCAL_CA_ISSUER_ID } from '../../../../shared/model/tls'
import { makeTempDir } from '../../../helpers/temp-dir'
import { openTlsHarness, type TlsHarness } from './tls-fixture'

const DAY = 24 * 60 * 60 * 1000
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'

let dir: ReturnType<typeof makeTempDir>
let h: TlsHarness

beforeEach(() => {
  dir = makeTempDir()
  h = openTlsHarness(dir.path)
})
afterEach(() => {
  if (h.db.open) h.db.close()
  dir.remove()
})

function extension(pem: string, name: string): Record<string, unknown> | undefined {
  return forge.pki.certificateFromPem(pem).getExtension(name) as Record<string, unknown> | undefined
}

describe('local CA', () => {
  it('is created once, on first use, as a critical CA:TRUE key-signing certificate valid for ten years', () => {
    expect(h.ca.current()).toBeUndefined()
    const ca = h.ca.ensureCa()
    expect(h.ca.ensureCa().id).toBe(ca.id)
    expect(h.store.list('ca')).toHaveLength(1)
    const x509 = new X509Certificate(ca.certPem)
    expect(x509.ca).toBe(true)
    expect(x509.subject).toMatch(/^O=Hookscope\nCN=Hookscope Local CA [0-9a-f]{6}$/)
    expect(x509.issuer).toBe(x509.subject)
    expect(x509.verify(x509.publicKey)).toBe(true)
    expect(x509.publicKey.asymmetricKeyType).toBe('rsa')
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048)
    expect(extension(ca.certPem, 'basicConstraints')).toMatchObject({ cA: true, critical: true })
    expect(extension(ca.certPem, 'keyUsage')).toMatchObject({ keyCertSign: true, cRLSign: true, critical: true, digitalSignature: false })
    const years = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / (365 * DAY)
    expect(years).toBeGreaterThan(9.99)
    expect(years).toBeLessThan(10.01)
    expect(ca.hasKey).toBe(true)
  })

  it('uses random positive 16-byte serial numbers', () => {
    const serials = [h.ca.ensureCa().serial, h.ca.issueClientCertificate({ name: 'a' }).stored.serial, h.ca.issueClientCertificate({ name: 'b' }).stored.serial]
    expect(new Set(serials).size).toBe(3)
    for (const serial of serials) {
      expect(serial).toMatch(/^[0-7][0-9A-F]{31}$/)
      expect(serial.startsWith('00')).toBe(false)
    }
  })

  it('regenerates: a new CA, the old one kept as an issuer without its key, server certificates dropped', () => {
    const old = h.ca.ensureCa()
    h.ca.issueServerCertificate([])
    const client = h.ca.issueClientCertificate({ name: 'sender' })
    const fresh = h.ca.regenerateCa()
    expect(fresh.id).not.toBe(old.id)
    expect(fresh.fingerprint256).not.toBe(old.fingerprint256)
    expect(h.ca.current()!.id).toBe(fresh.id)
    expect(h.store.list('ca').map((ca) => ca.id)).toEqual([fresh.id])
    const retired = h.store.get(old.id)!
    expect(retired).toMatchObject({ kind: 'issuer', hasKey: false })
    expect(retired.name).toMatch(/\(retired \d{4}-\d{2}-\d{2}\)$/)
    expect(h.store.list('server')).toEqual([])
    expect(h.store.get(client.id)).toBeDefined()
    // The old client certificate still verifies where the retired CA is trusted by id, not via local-ca.
    const [viaLocal] = h.issuers.resolve([LOCAL_CA_ISSUER_ID])
    const [viaOldId] = h.issuers.resolve([old.id])
    const leaf = new X509Certificate(client.certPem)
    expect(isIssuedBy(leaf, viaLocal!)).toBe(false)
    expect(isIssuedBy(leaf, viaOldId!)).toBe(true)
    const summary = h.ca.summaries().find((entry) => entry.id === client.id)!
    expect(summary.issuedByLocalCa).toBe(false)
  })

  it('refuses to sign while the keyring is locked, and creates nothing', () => {
    h.sealer.locked = true
    expect(() => h.ca.ensureCa()).toThrow(/locked/)
    expect(h.store.list()).toEqual([])
  })
})

describe('server certificates', () => {
  it('cover localhost, 127.0.0.1, ::1 and added hosts, for serverAuth, for 397 days', () => {
    const issued = h.ca.issueServerCertificate(['Hooks.Example.test', '192.168.1.5', '0:0:0:0:0:0:0:1', 'localhost'])
    const x509 = new X509Certificate(issued.certPem)
    expect(issued.stored.hosts).toEqual(['127.0.0.1', '192.168.1.5', '::1', 'hooks.example.test', 'localhost'])
    expect(x509.subjectAltName!.split(', ').sort()).toEqual(
      ['DNS:hooks.example.test', 'DNS:localhost', 'IP Address:0:0:0:0:0:0:0:1', 'IP Address:127.0.0.1', 'IP Address:192.168.1.5'].sort()
    )
    expect(x509.checkHost('hooks.example.test')).toBe('hooks.example.test')
    expect(x509.checkIP('::1')).toBe('::1')
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(x509.keyUsage).toEqual([SERVER_AUTH])
    expect(x509.ca).toBe(false)
    expect(isIssuedBy(x509, new X509Certificate(issued.caPem))).toBe(true)
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / DAY
    expect(Math.round(days)).toBe(397)
    expect(x509.checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true)
  })

  it('reuses a valid certificate for the same host set, renews near expiry or on demand', () => {
    const first = h.ca.issueServerCertificate(['a.test'])
    expect(h.ca.issueServerCertificate(['A.test', 'localhost']).id).toBe(first.id)
    expect(h.ca.issueServerCertificate(['A.test']).keyPem).toBe(first.keyPem)
    const other = h.ca.issueServerCertificate(['b.test'])
    expect(other.id).not.toBe(first.id)
    const forced = h.ca.issueServerCertificate(['a.test'], { force: true })
    expect(forced.id).not.toBe(first.id)
    expect(h.store.get(first.id)).toBeUndefined() // superseded
    h.clock.set(h.clock.now() + 380 * DAY) // inside the 30-day window before expiry
    const renewed = h.ca.issueServerCertificate(['a.test'])
    expect(renewed.id).not.toBe(forced.id)
    expect(
      h.store
        .list('server')
        .map((cert) => cert.id)
        .sort()
    ).toEqual([other.id, renewed.id].sort())
  })

  it('rejects things that are neither names nor addresses', () => {
    expect(() => normalizeHosts(['exa mple.test'])).toThrow(/neither a host name nor an IP address/)
    expect(() => normalizeHosts(['https://x.test'])).toThrow()
    expect(() => normalizeHosts(['-bad.test'])).toThrow()
    expect(normalizeHosts(['*.hooks.test', '[::1]', 'X.TEST.'])).toEqual(['*.hooks.test', '::1', 'x.test'])
  })
})

describe('client certificates', () => {
  it('are for clientAuth, named by CN, and honour explicit validity dates', () => {
    const now = h.clock.now()
    const normal = h.ca.issueClientCertificate({ name: 'acme-sender' })
    const x509 = new X509Certificate(normal.certPem)
    expect(x509.keyUsage).toEqual([CLIENT_AUTH])
    expect(x509.subject).toBe('O=Hookscope client\nCN=acme-sender')
    expect(normal.stored.notAfter - now).toBeGreaterThan(700 * DAY)
    const validFrom = now + 2 * DAY
    const validTo = now + 3 * DAY
    const future = h.ca.issueClientCertificate({ name: 'future', validFrom, validTo })
    // X.509 times have one-second resolution.
    expect(future.stored.notBefore).toBe(Math.floor(validFrom / 1000) * 1000)
    expect(future.stored.notAfter).toBe(Math.floor(validTo / 1000) * 1000)
    expect(() => h.ca.issueClientCertificate({ name: 'x', validFrom: now, validTo: now - 1 })).toThrow(/validTo/)
    expect(() => h.ca.issueClientCertificate({ name: '   ' })).toThrow(/name/)
  })
})

describe('expiry warnings and summaries', () => {
  it('warns about certificates expired or expiring within the window, soonest first', () => {
    const now = h.clock.now()
    h.ca.ensureCa()
    const soon = h.ca.issueClientCertificate({ name: 'soon', validFrom: now - DAY, validTo: now + 10 * DAY + 1000 })
    const gone = h.ca.issueClientCertificate({ name: 'gone', validFrom: now - 10 * DAY, validTo: now - 2 * DAY - 1000 })
    h.ca.issueClientCertificate({ name: 'fine' })
    const warnings = h.ca.expiryWarnings(now)
    expect(warnings.map((warning) => [warning.id, warning.daysLeft])).toEqual([
      [gone.id, -3],
      [soon.id, 10]
    ])
    expect(warnings[0]!.message).toMatch(/^the client certificate "gone" expired 3 day\(s\) ago/)
    expect(warnings[1]!.message).toMatch(/^the client certificate "soon" expires in 10 day\(s\)/)
    expect(h.ca.expiryWarnings(now, 5).map((warning) => warning.id)).toEqual([gone.id])
    // Ten years on, the CA itself is the warning.
    expect(h.ca.expiryWarnings(now + 3640 * DAY).map((warning) => warning.kind)).toContain('ca')
    const statuses = Object.fromEntries(h.ca.summaries(now).map((summary) => [summary.name, summary.status]))
    expect(statuses).toMatchObject({ soon: 'expiring', gone: 'expired', fine: 'valid' })
    for (const summary of h.ca.summaries(now)) expect(Object.keys(summary)).not.toContain('certPem')
  })
})

describe('certificate store', () => {
  it('keeps kinds to the four known ones', () => {
    expect(() =>
      h.db
        .prepare(`INSERT INTO certificates (id, kind, name, cert_pem, fingerprint256, subject, issuer, serial, not_before, not_after, created_at)
        VALUES ('x', 'bogus', 'n', 'p', 'f', 's', 'i', '1', 0, 0, 0)`)
        .run()
    ).toThrow(/CHECK/)
  })

  it('rejects a key that does not belong to the certificate, and duplicates', () => {
    const a = h.ca.issueClientCertificate({ name: 'a' })
    const b = h.ca.issueClientCertificate({ name: 'b' })
    expect(() => h.store.insert({ kind: 'server', name: 'mismatch', certPem: a.certPem, keyPem: b.keyPem })).toThrow(/does not belong/)
    expect(() => h.store.insert({ kind: 'issuer', name: 'not a cert', certPem: 'hello' })).toThrow(/not a readable X.509/)
    expect(() => h.store.insert({ kind: 'client', name: 'again', certPem: a.certPem })).toThrow(/already stored/)
  })
})

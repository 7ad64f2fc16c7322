import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareTlsEndpoint } from '../../../../electron/engine/tls/tls-endpoint'
import { importClientCertificate } from '../../../../electron/engine/tls/trusted-issuers'
import { LOCAL_CA_ISSUER_ID } from '../../../../shared/model/tls'
import { p256RequestArgs } from '../../../helpers/openssl-args'
import { makeTempDir } from '../../../helpers/temp-dir'
import { openTlsHarness, type TlsHarness } from './tls-fixture'

let dir: ReturnType<typeof makeTempDir>
let otherDir: ReturnType<typeof makeTempDir>
let h: TlsHarness
let other: TlsHarness

beforeEach(() => {
  dir = makeTempDir()
  otherDir = makeTempDir()
  h = openTlsHarness(dir.path)
  other = openTlsHarness(otherDir.path)
})
afterEach(() => {
  h.db.close()
  other.db.close()
  dir.remove()
  otherDir.remove()
})

function opensslCa(name: string): string {
  execFileSync(
    'openssl',
    p256RequestArgs({
      keyOut: join(dir.path, `${name}.key`),
      out: join(dir.path, `${name}.pem`),
      subject: `/O=Provider/CN=${name}`,
      extensions: ['basicConstraints=critical,CA:TRUE']
    }),
    { stdio: 'pipe', timeout: 20_000 }
  )
  return readFileSync(join(dir.path, `${name}.pem`), 'utf8')
}

describe('trusted issuers', () => {
  it('imports one or several CA certificates from one PEM, once', () => {
    const bundle = other.ca.ensureCa().certPem + '\n' + opensslCa('Provider Root')
    const imported = h.issuers.importPem(bundle, 'Acme')
    expect(imported.map((issuer) => [issuer.kind, issuer.name, issuer.hasKey])).toEqual([
      ['issuer', 'Acme (1)', false],
      ['issuer', 'Acme (2)', false]
    ])
    expect(imported[1]!.subject).toBe('CN=Provider Root, O=Provider')
    expect(h.issuers.importPem(bundle).map((issuer) => issuer.id)).toEqual(imported.map((issuer) => issuer.id))
    expect(h.issuers.list()).toHaveLength(2)
    expect(h.issuers.importPem(opensslCa('Single'))[0]!.name).toBe('Single')
  })

  it('refuses a bundle containing a non-CA certificate, importing none of it', () => {
    const leaf = other.ca.issueClientCertificate({ name: 'leaf' }).certPem
    expect(() => h.issuers.importPem(other.ca.ensureCa().certPem + leaf)).toThrow(/certificate 2 \(CN=leaf, O=Hookscope client\) is not a CA certificate/)
    expect(h.issuers.list()).toEqual([])
    expect(() => h.issuers.importPem('nothing here')).toThrow(/no PEM certificate/)
    expect(() => h.issuers.importPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow(/not a readable X.509/)
  })

  it('removes, resolves ids (local-ca follows the current CA) and rejects unknown ids', () => {
    const [issuer] = h.issuers.importPem(opensslCa('Gone Soon'))
    const resolved = h.issuers.resolve([issuer!.id, LOCAL_CA_ISSUER_ID])
    expect(resolved.map((cert) => cert.subject)).toEqual(['O=Provider\nCN=Gone Soon', new X509Certificate(h.ca.ensureCa().certPem).subject])
    expect(h.issuers.remove(issuer!.id)).toBe(true)
    expect(() => h.issuers.resolve([issuer!.id])).toThrow(/not in the certificate store/)
    const client = h.ca.issueClientCertificate({ name: 'c' })
    expect(() => h.issuers.resolve([client.id])).toThrow(/not in the certificate store/)
    expect(() => h.issuers.remove(client.id)).toThrow(/no issuer certificate/)
  })
})

describe('importClientCertificate', () => {
  it('stores a user-provided certificate with its chain and sealed key', () => {
    const issued = other.ca.issueClientCertificate({ name: 'from-elsewhere' })
    const stored = importClientCertificate(h.store, issued.certPem + issued.caPem, issued.keyPem)
    expect(stored).toMatchObject({ kind: 'client', name: 'from-elsewhere', hasKey: true, chainPem: issued.caPem })
    expect(h.store.privateKeyPem(stored.id)).toBe(issued.keyPem)
    const second = other.ca.issueClientCertificate({ name: 'x' })
    expect(importClientCertificate(h.store, second.certPem, second.keyPem, 'Named')).toMatchObject({ name: 'Named', chainPem: null })
  })

  it('refuses a key that does not match, or an unreadable one', () => {
    const a = other.ca.issueClientCertificate({ name: 'a' })
    const b = other.ca.issueClientCertificate({ name: 'b' })
    expect(() => importClientCertificate(h.store, a.certPem, b.keyPem)).toThrow(/does not belong/)
    expect(() => importClientCertificate(h.store, a.certPem, 'not a key')).toThrow(/not readable/)
    expect(h.store.list('client')).toEqual([])
  })
})

describe('prepareTlsEndpoint', () => {
  const base = { clientCert: 'require' as const, trustedIssuerIds: [], pinnedFingerprints: [], extraHosts: [] }

  it('gives nothing for http, server options for https, and a policy for https+mtls', () => {
    const deps = { localCa: h.ca, issuers: h.issuers }
    expect(prepareTlsEndpoint(deps, { ...base, mode: 'http' })).toBeNull()
    const https = prepareTlsEndpoint(deps, { ...base, mode: 'https', extraHosts: ['hooks.test'] })!
    expect(https.mtls).toBeNull()
    expect(https.serverOptions).toMatchObject({ minVersion: 'TLSv1.2', requestCert: false, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
    expect(https.serverOptions.ca).toBeUndefined()
    expect(h.store.get(https.serverCertificateId)!.hosts).toContain('hooks.test')
    const pin = 'aa:'.repeat(31) + 'aa'
    const mtls = prepareTlsEndpoint(deps, {
      ...base,
      mode: 'https+mtls',
      clientCert: 'request',
      trustedIssuerIds: [LOCAL_CA_ISSUER_ID],
      pinnedFingerprints: [pin]
    })!
    expect(mtls.mtls).toMatchObject({ mode: 'request', pinnedFingerprints: ['AA'.repeat(32)] })
    expect(mtls.mtls!.trustedIssuers).toHaveLength(1)
    expect(mtls.serverOptions).toMatchObject({ requestCert: true, rejectUnauthorized: false, ca: [h.ca.ensureCa().certPem] })
    // Same host set: the server certificate is reused across endpoint starts.
    expect(prepareTlsEndpoint(deps, { ...base, mode: 'https', extraHosts: ['hooks.test'] })!.serverCertificateId).toBe(https.serverCertificateId)
  })

  it('rejects malformed pins and unknown issuers before listening', () => {
    const deps = { localCa: h.ca, issuers: h.issuers }
    expect(() => prepareTlsEndpoint(deps, { ...base, mode: 'https+mtls', pinnedFingerprints: ['abc'] })).toThrow(/not a SHA-256 fingerprint/)
    expect(() => prepareTlsEndpoint(deps, { ...base, mode: 'https+mtls', trustedIssuerIds: ['nope'] })).toThrow(/not in the certificate store/)
  })
})

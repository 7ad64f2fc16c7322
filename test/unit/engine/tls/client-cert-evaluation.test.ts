import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatFingerprint, normalizeFingerprint } from '../../../../electron/engine/tls/cert-facts'
import { evaluateClientCertificate, type PeerCertificateLike } from '../../../../electron/engine/tls/client-cert-evaluation'
import { p256RequestArgs } from '../../../helpers/openssl-args'
import { makeTempDir } from '../../../helpers/temp-dir'
import { mutableClock, openTlsHarness, type TlsHarness } from './tls-fixture'

const DAY = 24 * 60 * 60 * 1000

/**
 * A root → intermediate → leaf chain made by OpenSSL with P-256 keys (so evaluation is not tied
 * to what the local CA issues), plus a leaf signed by a non-CA certificate posing as intermediate.
 */
let dir: ReturnType<typeof makeTempDir>
const certs: Record<string, X509Certificate> = {}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir.path, stdio: 'pipe', timeout: 20_000 })
}

function makeKeyAndCsr(name: string, cn: string): void {
  openssl(p256RequestArgs({ keyOut: `${name}.key`, out: `${name}.csr`, subject: `/CN=${cn}`, csr: true }))
}

function sign(name: string, issuer: string, extensions: string): void {
  writeFileSync(join(dir.path, `${name}.ext`), extensions)
  openssl([
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${issuer}.pem`,
    '-CAkey',
    `${issuer}.key`,
    '-set_serial',
    String(Math.floor(Math.random() * 1e9)),
    '-days',
    '30',
    '-out',
    `${name}.pem`,
    '-extfile',
    `${name}.ext`
  ])
}

beforeAll(() => {
  dir = makeTempDir()
  openssl(
    p256RequestArgs({
      keyOut: 'root.key',
      out: 'root.pem',
      subject: '/CN=Test Root',
      extensions: ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign']
    })
  )
  openssl(p256RequestArgs({ keyOut: 'other.key', out: 'other.pem', subject: '/CN=Other Root', extensions: ['basicConstraints=critical,CA:TRUE'] }))
  makeKeyAndCsr('int', 'Test Intermediate')
  sign('int', 'root', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n')
  makeKeyAndCsr('leaf', 'sender.example')
  sign('leaf', 'int', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:sender.example,email:ops@sender.example\n')
  makeKeyAndCsr('fakeint', 'Not A CA')
  sign('fakeint', 'root', 'basicConstraints=critical,CA:FALSE\n')
  makeKeyAndCsr('leaf2', 'sneaky.example')
  sign('leaf2', 'fakeint', 'basicConstraints=CA:FALSE\n')
  openssl(p256RequestArgs({ keyOut: 'self.key', out: 'self.pem', subject: '/CN=self', extensions: ['basicConstraints=CA:FALSE'] }))
  for (const name of ['root', 'other', 'int', 'leaf', 'fakeint', 'leaf2', 'self']) {
    certs[name] = new X509Certificate(readFileSync(join(dir.path, `${name}.pem`)))
  }
})
afterAll(() => dir?.remove())

/** Shaped like getPeerCertificate(true): linked through issuerCertificate, a root pointing at itself. */
function peer(...names: string[]): PeerCertificateLike {
  const nodes: PeerCertificateLike[] = names.map((name) => ({ raw: certs[name]!.raw }))
  for (const [index, node] of nodes.entries()) {
    node.issuerCertificate = nodes[index + 1] ?? (certs[names[index]!]!.checkIssued(certs[names[index]!]!) ? node : undefined)
  }
  return nodes[0]!
}

const now = () => Date.now()

function evaluate(chain: PeerCertificateLike | null, trusted: string[], pinnedFingerprints: string[] = [], at = now()) {
  return evaluateClientCertificate(chain, { trustedIssuers: trusted.map((name) => certs[name]!), pinnedFingerprints, now: at })
}

describe('evaluateClientCertificate', () => {
  it('reports no certificate for an empty peer (what Node gives when none was sent)', () => {
    expect(evaluate({}, ['root'])).toMatchObject({ authorized: false, reason: 'no-certificate', chain: [] })
    expect(evaluate(null, ['root']).reason).toBe('no-certificate')
  })

  it('accepts leaf → intermediate → trusted root, and lists the path with its facts', () => {
    const result = evaluate(peer('leaf', 'int'), ['root'])
    expect(result).toMatchObject({ authorized: true, reason: 'ok' })
    expect(result.chain.map((facts) => facts.subject)).toEqual(['CN=sender.example', 'CN=Test Intermediate', 'CN=Test Root'])
    expect(result.chain[0]).toMatchObject({
      issuer: 'CN=Test Intermediate',
      serial: certs.leaf!.serialNumber.toUpperCase(),
      fingerprint256: certs.leaf!.fingerprint256,
      sans: ['DNS:sender.example', 'email:ops@sender.example'],
      validTo: Date.parse(certs.leaf!.validTo)
    })
    expect(result.detail).toContain('CN=Test Root')
  })

  it('accepts when the intermediate itself is the trusted issuer, or when the root is also sent', () => {
    expect(evaluate(peer('leaf', 'int'), ['int']).chain.map((facts) => facts.subject)).toEqual(['CN=sender.example', 'CN=Test Intermediate'])
    expect(evaluate(peer('leaf', 'int', 'root'), ['root']).reason).toBe('ok')
  })

  it('reports an unknown issuer when the path does not reach a trusted issuer', () => {
    expect(evaluate(peer('leaf'), ['root']).reason).toBe('unknown-issuer') // intermediate not sent
    const other = evaluate(peer('leaf', 'int', 'root'), ['other'])
    expect(other).toMatchObject({ authorized: false, reason: 'unknown-issuer' })
    expect(other.chain).toHaveLength(3)
    expect(other.detail).toContain('CN=Test Root')
    expect(evaluate(peer('leaf', 'int'), []).detail).toMatch(/trusts no issuer yet/)
  })

  it('does not let a non-CA certificate act as an intermediate', () => {
    expect(evaluate(peer('leaf2', 'fakeint'), ['root']).reason).toBe('unknown-issuer')
  })

  it('reports self-signed unless that very certificate is trusted', () => {
    const result = evaluate(peer('self'), ['root'])
    expect(result).toMatchObject({ authorized: false, reason: 'self-signed' })
    expect(result.detail).toContain('CN=self')
    expect(evaluate(peer('root'), ['root']).reason).toBe('ok')
  })

  it('checks validity dates along the path, leaf first', () => {
    const leafFrom = Date.parse(certs.leaf!.validFrom)
    const leafTo = Date.parse(certs.leaf!.validTo)
    expect(evaluate(peer('leaf', 'int'), ['root'], [], leafFrom - DAY).reason).toBe('not-yet-valid')
    const expired = evaluate(peer('leaf', 'int'), ['root'], [], leafTo + DAY)
    expect(expired.reason).toBe('expired')
    expect(expired.detail).toMatch(/^the client certificate expired on /)
  })

  it('reports an expired issuer as expired, naming it', () => {
    const harnessDir = makeTempDir()
    let h: TlsHarness | undefined
    try {
      const clock = mutableClock(Date.now() - 3660 * DAY)
      h = openTlsHarness(harnessDir.path, { clock })
      const ca = new X509Certificate(h.ca.ensureCa().certPem)
      clock.set(Date.now())
      const client = h.ca.issueClientCertificate({ name: 'outlived-its-ca' })
      const result = evaluateClientCertificate(
        { raw: new X509Certificate(client.certPem).raw },
        { trustedIssuers: [ca], pinnedFingerprints: [], now: Date.now() }
      )
      expect(result.reason).toBe('expired')
      expect(result.detail).toMatch(/^its issuer CN=Hookscope Local CA/)
    } finally {
      h?.db.close()
      harnessDir.remove()
    }
  })

  it('pins the leaf fingerprint, in any spelling', () => {
    const fingerprint = certs.leaf!.fingerprint256
    for (const spelling of [fingerprint, fingerprint.toLowerCase(), normalizeFingerprint(fingerprint), normalizeFingerprint(fingerprint).toLowerCase()]) {
      expect(evaluate(peer('leaf', 'int'), ['root'], [spelling]).reason).toBe('ok')
    }
    const mismatch = evaluate(peer('leaf', 'int'), ['root'], [certs.leaf2!.fingerprint256])
    expect(mismatch).toMatchObject({ authorized: false, reason: 'fingerprint-not-pinned' })
    expect(mismatch.detail).toContain(fingerprint)
    // Pinning the issuer does not pin the leaf.
    expect(evaluate(peer('leaf', 'int'), ['root'], [certs.int!.fingerprint256]).reason).toBe('fingerprint-not-pinned')
    // Trust comes first: a pinned but untrusted certificate is still refused for its issuer.
    expect(evaluate(peer('leaf', 'int'), ['other'], [fingerprint]).reason).toBe('unknown-issuer')
    expect(formatFingerprint(normalizeFingerprint(fingerprint).toLowerCase())).toBe(fingerprint)
  })

  it('survives cyclic or garbage peer structures', () => {
    const cyclic: PeerCertificateLike = { raw: certs.leaf!.raw }
    const middle: PeerCertificateLike = { raw: certs.int!.raw, issuerCertificate: cyclic }
    cyclic.issuerCertificate = middle
    expect(evaluate(cyclic, ['root']).reason).toBe('ok')
    expect(evaluate({ raw: Buffer.from('not a certificate') }, ['root']).reason).toBe('no-certificate')
  })
})

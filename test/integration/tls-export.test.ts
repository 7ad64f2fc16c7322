import { createPrivateKey, X509Certificate } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  caFileName,
  exportCaCertificate,
  exportClientCertificatePem,
  exportClientCertificatePkcs12,
  trustInstructions
} from '../../electron/engine/tls/certificate-export'
import type { IssuedCertificate } from '../../electron/engine/tls/local-ca'
import { tlsServerOptions } from '../../electron/engine/tls/tls-server-options'
import { makeTempDir } from '../helpers/temp-dir'
import { type JudgedServer, run, runCurl, type ServerEvent, startJudgedServer } from '../helpers/tls-client'
import { openTlsHarness, type TlsHarness } from '../unit/engine/tls/tls-fixture'

const PASSWORD = 'correct horse battery staple'

let dir: ReturnType<typeof makeTempDir>
let h: TlsHarness
let client: IssuedCertificate
let p12File: string
let caFile: string
let running: JudgedServer | undefined

beforeAll(() => {
  dir = makeTempDir()
  h = openTlsHarness(dir.path)
  client = h.ca.issueClientCertificate({ name: 'p12-sender' })
  p12File = join(dir.path, 'client.p12')
  writeFileSync(p12File, exportClientCertificatePkcs12(h.store, client.id, PASSWORD))
  caFile = join(dir.path, caFileName('pem'))
  writeFileSync(caFile, exportCaCertificate(h.ca, 'pem'))
})
afterAll(() => {
  h?.db.close()
  dir?.remove()
})
afterEach(async () => {
  await running?.close()
  running = undefined
})

async function startMtls(): Promise<JudgedServer> {
  const ca = new X509Certificate(h.ca.ensureCa().certPem)
  const server = h.ca.issueServerCertificate([])
  running = await startJudgedServer(tlsServerOptions({ mode: 'https+mtls', server, trustedIssuers: [ca] }), {
    mode: 'require',
    trustedIssuers: [ca],
    pinnedFingerprints: []
  })
  return running
}

describe('CA export', () => {
  it('PEM and DER are the same certificate, and no key', () => {
    const pem = exportCaCertificate(h.ca, 'pem').toString('utf8')
    const der = exportCaCertificate(h.ca, 'der')
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/)
    expect(pem).not.toMatch(/PRIVATE KEY/)
    expect(new X509Certificate(der).fingerprint256).toBe(new X509Certificate(pem).fingerprint256)
    expect(der[0]).toBe(0x30) // a DER SEQUENCE, not text
    expect(caFileName('der')).toBe('hookscope-ca.crt')
  })

  it('openssl reads the DER export as the CA certificate', async () => {
    const derFile = join(dir.path, caFileName('der'))
    writeFileSync(derFile, exportCaCertificate(h.ca, 'der'))
    const result = await run('openssl', ['x509', '-inform', 'DER', '-in', derFile, '-noout', '-subject', '-ext', 'basicConstraints,keyUsage'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/subject=O = Hookscope, CN = Hookscope Local CA [0-9a-f]{6}/)
    expect(result.stdout).toMatch(/Basic Constraints: critical\s+CA:TRUE/)
    expect(result.stdout).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/)
  })

  it('trust instructions cover curl, Node and the OS stores, and the Node one works', async () => {
    const text = trustInstructions(caFile)
    for (const needle of [
      `--cacert "${caFile}"`,
      `NODE_EXTRA_CA_CERTS="${caFile}"`,
      'security add-trusted-cert',
      'update-ca-certificates',
      'certutil -addstore Root'
    ]) {
      expect(text).toContain(needle)
    }
    expect(text.split('\n').length).toBeLessThan(20)
    // NODE_EXTRA_CA_CERTS as instructed: a child Node with default verification reaches the endpoint.
    const server = h.ca.issueServerCertificate([])
    running = await startJudgedServer(tlsServerOptions({ mode: 'https', server }), null)
    const script = `require('https').get({ host: '127.0.0.1', port: ${running.port}, servername: 'localhost', path: '/hook' }, (res) => { console.log(res.statusCode); res.resume() }).on('error', (e) => { console.log(e.code); process.exitCode = 1 })`
    const trusted = await runNode(script, { NODE_EXTRA_CA_CERTS: caFile })
    expect(trusted.stdout.trim()).toBe('200')
    const untrusted = await runNode(script, {})
    expect(untrusted.stdout.trim()).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE')
  })
})

async function runNode(script: string, env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS')) as Record<string, string>
  // Not run(): the environment matters here.
  const { execFile } = await import('node:child_process')
  return new Promise<{ stdout: string }>((resolve) => {
    execFile(process.execPath, ['-e', script], { env: { ...clean, ...env }, timeout: 10_000, encoding: 'utf8' }, (_error, stdout) => resolve({ stdout }))
  })
}

describe('client certificate export', () => {
  it('PEM export gives the leaf, its issuer and the matching key', () => {
    const pem = exportClientCertificatePem(h.store, client.id)
    const leaf = new X509Certificate(pem.certPem)
    expect(leaf.checkPrivateKey(createPrivateKey(pem.keyPem))).toBe(true)
    expect(new X509Certificate(pem.chainPem).subject).toBe(leaf.issuer)
  })

  it('the .p12 loads in Node with the password and fails with a wrong one', () => {
    const pfx = exportClientCertificatePkcs12(h.store, client.id, PASSWORD)
    expect(() => createSecureContext({ pfx, passphrase: PASSWORD })).not.toThrow()
    expect(() => createSecureContext({ pfx, passphrase: 'wrong password' })).toThrow(/mac verify failure|bad decrypt/i)
  })

  it('openssl 3 reads the .p12 (no legacy provider) with the password only', async () => {
    const ok = await run('openssl', ['pkcs12', '-in', p12File, '-passin', `pass:${PASSWORD}`, '-nokeys'])
    expect(ok.exitCode, ok.stderr).toBe(0)
    expect(ok.stdout).toContain('friendlyName: p12-sender')
    expect(ok.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(2) // leaf and CA
    const keys = await run('openssl', ['pkcs12', '-in', p12File, '-passin', `pass:${PASSWORD}`, '-nocerts', '-nodes'])
    expect(keys.exitCode, keys.stderr).toBe(0)
    expect(keys.stdout).toContain('BEGIN PRIVATE KEY')
    const info = await run('openssl', ['pkcs12', '-in', p12File, '-passin', `pass:${PASSWORD}`, '-info', '-noout'])
    expect(info.stderr).toMatch(/PBES2, PBKDF2, AES-256-CBC/)
    const wrong = await run('openssl', ['pkcs12', '-in', p12File, '-passin', 'pass:nope', '-nokeys'])
    expect(wrong.exitCode).not.toBe(0)
    expect(wrong.stderr).toMatch(/mac verify/i)
  })

  it('refuses empty and non-ASCII passwords', () => {
    expect(() => exportClientCertificatePkcs12(h.store, client.id, '')).toThrow(/needs a password/)
    expect(() => exportClientCertificatePkcs12(h.store, client.id, 'pässword')).toThrow(/ASCII/)
  })

  it('a sender using the .p12 is accepted over mTLS (Node pfx and curl --cert-type P12)', async () => {
    const { port } = await startMtls()
    const status = await new Promise<number | string>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/hook',
          agent: false,
          servername: 'localhost',
          timeout: 5_000,
          ca: exportCaCertificate(h.ca, 'pem'),
          pfx: exportClientCertificatePkcs12(h.store, client.id, PASSWORD),
          passphrase: PASSWORD
        },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        }
      )
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
      req.end()
    })
    expect(status).toBe(200)
    const curl = await runCurl([
      '--cacert',
      caFile,
      '--cert-type',
      'P12',
      '--cert',
      `${p12File}:${PASSWORD}`,
      '--resolve',
      `localhost:${port}:127.0.0.1`,
      `https://localhost:${port}/hook`
    ])
    expect(curl.stderr).toBe('')
    expect(curl).toMatchObject({ exitCode: 0, stdout: 'ok' })
    const events = await running!.waitForEvents(2)
    expect(events.map((event) => event.kind)).toEqual(['request', 'request'])
    for (const event of events) {
      expect((event as Extract<ServerEvent, { kind: 'request' }>).facts?.clientCert?.fingerprint256).toBe(client.stored.fingerprint256)
    }
  })
})

import { X509Certificate } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { Agent, request as requestHttps } from 'node:https'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { normalizeFingerprint } from '../../electron/engine/tls/cert-facts'
import type { IssuedCertificate } from '../../electron/engine/tls/local-ca'
import { type MtlsPolicy, tlsServerOptions } from '../../electron/engine/tls/tls-server-options'
import type { TlsFacts } from '../../shared/model/tls'
import { makeTempDir } from '../helpers/temp-dir'
import { httpsGet, type JudgedServer, run, runCurl, type ServerEvent, startJudgedServer } from '../helpers/tls-client'
import { openTlsHarness, type TlsHarness } from '../unit/engine/tls/tls-fixture'

const DAY = 24 * 60 * 60 * 1000

/** Files curl reads; one set per client identity. */
interface ClientFiles {
  cert: string
  key: string
  issued?: IssuedCertificate
}

let dir: ReturnType<typeof makeTempDir>
let otherDir: ReturnType<typeof makeTempDir>
let h: TlsHarness
let other: TlsHarness
let caPem: string
let caFile: string
let server: IssuedCertificate
let clients: Record<'valid' | 'expired' | 'notYetValid' | 'foreign' | 'selfSigned', ClientFiles>
let running: JudgedServer | undefined

function files(name: string, certPem: string, keyPem: string): { cert: string; key: string } {
  const cert = join(dir.path, `${name}.crt.pem`)
  const key = join(dir.path, `${name}.key.pem`)
  writeFileSync(cert, certPem)
  writeFileSync(key, keyPem, { mode: 0o600 })
  return { cert, key }
}

beforeAll(async () => {
  dir = makeTempDir()
  otherDir = makeTempDir()
  h = openTlsHarness(dir.path)
  other = openTlsHarness(otherDir.path)
  caPem = h.ca.ensureCa().certPem
  caFile = join(dir.path, 'ca.pem')
  writeFileSync(caFile, caPem)
  server = h.ca.issueServerCertificate([])
  const now = Date.now()
  const valid = h.ca.issueClientCertificate({ name: 'acme-sender' })
  const expired = h.ca.issueClientCertificate({ name: 'expired-sender', validFrom: now - 30 * DAY, validTo: now - DAY })
  const notYetValid = h.ca.issueClientCertificate({ name: 'future-sender', validFrom: now + DAY, validTo: now + 30 * DAY })
  const foreign = other.ca.issueClientCertificate({ name: 'stranger' })
  // Self-signed by a tool other than Hookscope, as a sender might make one.
  const selfCert = join(dir.path, 'self.crt.pem')
  const selfKey = join(dir.path, 'self.key.pem')
  const made = await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    selfKey,
    '-out',
    selfCert,
    '-subj',
    '/CN=self-signed-sender',
    '-days',
    '2',
    '-addext',
    'extendedKeyUsage=clientAuth'
  ])
  expect(made.exitCode, made.stderr).toBe(0)
  clients = {
    valid: { ...files('valid', valid.certPem, valid.keyPem), issued: valid },
    expired: { ...files('expired', expired.certPem, expired.keyPem), issued: expired },
    notYetValid: { ...files('future', notYetValid.certPem, notYetValid.keyPem), issued: notYetValid },
    foreign: { ...files('foreign', foreign.certPem, foreign.keyPem), issued: foreign },
    selfSigned: { cert: selfCert, key: selfKey }
  }
})

afterAll(() => {
  h?.db.close()
  other?.db.close()
  dir?.remove()
  otherDir?.remove()
})

afterEach(async () => {
  await running?.close()
  running = undefined
})

async function start(mode: 'https' | 'https+mtls', mtls: Partial<MtlsPolicy> | null): Promise<JudgedServer> {
  const policy: MtlsPolicy | null =
    mode === 'https+mtls' ? { mode: 'require', trustedIssuers: [new X509Certificate(caPem)], pinnedFingerprints: [], ...mtls } : null
  running = await startJudgedServer(
    tlsServerOptions({ mode, server: { certPem: server.certPem, keyPem: server.keyPem }, trustedIssuers: policy?.trustedIssuers }),
    policy
  )
  return running
}

function read(file: string): string {
  return readFileSync(file, 'utf8')
}

function nodeClient(port: number, identity?: ClientFiles, extra: { maxVersion?: 'TLSv1.2' | 'TLSv1.1'; minVersion?: 'TLSv1' } = {}) {
  return httpsGet({
    port,
    ca: caPem,
    servername: 'localhost',
    cert: identity ? read(identity.cert) : undefined,
    key: identity ? read(identity.key) : undefined,
    ...extra
  })
}

function curl(port: number, identity?: ClientFiles, extra: string[] = []) {
  return runCurl([
    '--cacert',
    caFile,
    ...(identity ? ['--cert', identity.cert, '--key', identity.key] : []),
    '--resolve',
    `localhost:${port}:127.0.0.1`,
    ...extra,
    `https://localhost:${port}/hook`
  ])
}

function onlyRequestFacts(events: ServerEvent[]): TlsFacts {
  expect(events.map((event) => event.kind)).toEqual(['request'])
  const event = events[0] as Extract<ServerEvent, { kind: 'request' }>
  expect(event.facts).toBeDefined()
  return event.facts!
}

function onlyRefusal(events: ServerEvent[]) {
  expect(events.map((event) => event.kind)).toEqual(['refused'])
  return (events[0] as Extract<ServerEvent, { kind: 'refused' }>).rejection
}

describe('server certificate from the local CA', () => {
  it('validates against the CA with strict checks for localhost, 127.0.0.1 and ::1 (Node)', async () => {
    const { port } = await start('https', null)
    // Default checkServerIdentity: DNS name via SNI, then the IP SAN when connecting by address.
    const byName = await httpsGet({ port, ca: caPem, servername: 'localhost' })
    expect(byName).toMatchObject({ ok: true, status: 200 })
    const byIp = await httpsGet({ port, ca: caPem })
    expect(byIp).toMatchObject({ ok: true, status: 200 })
    // ::1: the listener is on 127.0.0.1, so check the name against the served certificate directly.
    const { checkServerIdentity, connect } = await import('node:tls')
    const peer = await new Promise<import('node:tls').PeerCertificate>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: caPem, servername: 'localhost' }, () => {
        resolve(socket.getPeerCertificate())
        socket.destroy()
      })
      socket.once('error', reject)
    })
    expect(checkServerIdentity('::1', peer)).toBeUndefined()
    expect(checkServerIdentity('localhost', peer)).toBeUndefined()
    expect(checkServerIdentity('127.0.0.1', peer)).toBeUndefined()
    expect(checkServerIdentity('example.com', peer)).toBeInstanceOf(Error)
    // A client that does not trust the Hookscope CA refuses the server; that failed handshake is
    // listed. Node's client checks the chain in JavaScript and just hangs up (no alert)...
    const untrusting = await httpsGet({ port, ca: other.ca.ensureCa().certPem, servername: 'localhost' })
    expect(untrusting).toMatchObject({ ok: false, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
    const events = await running!.waitForEvents(3)
    expect(events.filter((event) => event.kind === 'request')).toHaveLength(2)
    const failed = events.find((event) => event.kind === 'handshake-failed') as Extract<ServerEvent, { kind: 'handshake-failed' }>
    expect(failed.rejection.code).toBe('connection-reset')
  })

  it('lists a handshake that curl aborts because it does not trust the CA', async () => {
    const { port } = await start('https', null)
    const otherCa = join(otherDir.path, 'other-ca.pem')
    writeFileSync(otherCa, other.ca.ensureCa().certPem)
    const result = await runCurl(['--cacert', otherCa, '--resolve', `localhost:${port}:127.0.0.1`, `https://localhost:${port}/hook`])
    expect(result.exitCode).toBe(60) // CURLE_PEER_FAILED_VERIFICATION
    const events = await running!.waitForEvents(1)
    expect(events[0]).toMatchObject({
      kind: 'handshake-failed',
      rejection: { code: 'client-rejected-server-certificate', hello: { sni: 'localhost' } }
    })
  })

  it('verifies with OpenSSL as a TLS server certificate for all three names', async () => {
    const serverFile = join(dir.path, 'server.pem')
    writeFileSync(serverFile, server.certPem)
    for (const check of [
      ['-verify_hostname', 'localhost'],
      ['-verify_ip', '127.0.0.1'],
      ['-verify_ip', '::1']
    ]) {
      const result = await run('openssl', ['verify', '-CAfile', caFile, '-purpose', 'sslserver', ...check, serverFile])
      expect(result.stdout + result.stderr).toContain(': OK')
      expect(result.exitCode).toBe(0)
    }
    const wrong = await run('openssl', ['verify', '-CAfile', caFile, '-verify_hostname', 'example.com', serverFile])
    expect(wrong.exitCode).not.toBe(0)
  })

  it('plain https records version, cipher, SNI and ALPN without asking for a certificate (curl)', async () => {
    const { port } = await start('https', null)
    const result = await curl(port)
    expect(result.stderr).toBe('')
    expect(result).toMatchObject({ exitCode: 0, stdout: 'ok' })
    const facts = onlyRequestFacts(await running!.waitForEvents(1))
    expect(facts).toMatchObject({ sni: 'localhost', alpn: 'http/1.1', clientCertRequested: false, clientCert: null, authorized: true })
    expect(facts.version).toMatch(/^TLSv1\.[23]$/)
  })
})

describe('https+mtls, require', () => {
  it('accepts a valid client certificate and records the handshake (Node, TLS 1.3)', async () => {
    const { port } = await start('https+mtls', {})
    const result = await nodeClient(port, clients.valid)
    expect(result).toMatchObject({ ok: true, status: 200, body: 'ok', protocol: 'TLSv1.3', alpn: 'http/1.1' })
    const facts = onlyRequestFacts(await running!.waitForEvents(1))
    const issued = new X509Certificate(clients.valid.issued!.certPem)
    expect(facts).toMatchObject({
      version: 'TLSv1.3',
      sni: 'localhost',
      alpn: 'http/1.1',
      clientCertRequested: true,
      authorized: true,
      reason: 'ok'
    })
    expect(facts.cipher).toMatch(/^TLS_(AES|CHACHA20)_/)
    expect(facts.clientCert).toMatchObject({
      subject: 'CN=acme-sender, O=Hookscope client',
      issuer: expect.stringMatching(/^CN=Hookscope Local CA [0-9a-f]{6}, O=Hookscope$/),
      serial: issued.serialNumber.toUpperCase(),
      fingerprint256: issued.fingerprint256,
      sans: []
    })
    expect(facts.clientCert!.validTo).toBe(Date.parse(issued.validTo))
    expect(facts.chain.map((cert) => cert.subject)).toEqual([facts.clientCert!.subject, facts.clientCert!.issuer])
  })

  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    it(`judges a resumed ${maxVersion} session by the certificate of the session it resumes`, async () => {
      const { port } = await start('https+mtls', {})
      // An agent caches TLS sessions: the second connection resumes instead of sending the certificate again.
      const agent = new Agent({ keepAlive: false, maxCachedSessions: 10 })
      const get = () =>
        new Promise<boolean>((resolve, reject) => {
          const req = requestHttps(
            {
              host: '127.0.0.1',
              port,
              path: '/hook',
              agent,
              servername: 'localhost',
              ca: caPem,
              maxVersion,
              timeout: 5_000,
              cert: read(clients.valid.cert),
              key: read(clients.valid.key)
            },
            (res) => {
              const reused = (res.socket as TLSSocket).isSessionReused()
              res.resume()
              res.on('end', () => resolve(reused))
            }
          )
          req.on('timeout', () => req.destroy(new Error('timeout')))
          req.on('error', reject)
          req.end()
        })
      try {
        expect(await get()).toBe(false)
        expect(await get()).toBe(true)
      } finally {
        agent.destroy()
      }
      const events = await running!.waitForEvents(2)
      for (const event of events) {
        expect(event.kind).toBe('request')
        const facts = (event as Extract<ServerEvent, { kind: 'request' }>).facts!
        expect(facts).toMatchObject({ version: maxVersion, reason: 'ok', authorized: true })
        expect(facts.clientCert?.fingerprint256).toBe(clients.valid.issued!.stored.fingerprint256)
      }
    })
  }

  it('records TLS 1.2 and its cipher when the client caps at 1.2 (Node)', async () => {
    const { port } = await start('https+mtls', {})
    const result = await nodeClient(port, clients.valid, { maxVersion: 'TLSv1.2' })
    expect(result).toMatchObject({ ok: true, status: 200, protocol: 'TLSv1.2' })
    const facts = onlyRequestFacts(await running!.waitForEvents(1))
    expect(facts.version).toBe('TLSv1.2')
    expect(facts.cipher).toMatch(/^TLS_ECDHE_RSA_WITH_/)
    expect(facts.reason).toBe('ok')
  })

  it('accepts a valid client certificate (curl)', async () => {
    const { port } = await start('https+mtls', {})
    const result = await curl(port, clients.valid)
    expect(result.stderr).toBe('')
    expect(result).toMatchObject({ exitCode: 0, stdout: 'ok' })
    const facts = onlyRequestFacts(await running!.waitForEvents(1))
    expect(facts).toMatchObject({ sni: 'localhost', authorized: true, reason: 'ok' })
    expect(facts.clientCert!.fingerprint256).toBe(clients.valid.issued!.stored.fingerprint256)
  })

  const refusals: [string, keyof typeof clients | null, string][] = [
    ['no certificate', null, 'no-certificate'],
    ['a certificate from an unknown issuer', 'foreign', 'unknown-issuer'],
    ['an expired certificate', 'expired', 'expired'],
    ['a not-yet-valid certificate', 'notYetValid', 'not-yet-valid'],
    ['a self-signed certificate', 'selfSigned', 'self-signed']
  ]
  for (const [label, identity, reason] of refusals) {
    it(`refuses ${label} and lists the rejected connection (Node)`, async () => {
      const { port } = await start('https+mtls', {})
      const result = await nodeClient(port, identity ? clients[identity] : undefined)
      expect(result.ok).toBe(false)
      const rejection = onlyRefusal(await running!.waitForEvents(1))
      expect(rejection.code).toBe(reason)
      expect(rejection.facts).toMatchObject({ authorized: false, reason, version: 'TLSv1.3', sni: 'localhost' })
      expect(rejection.reason.length).toBeGreaterThan(10)
      if (identity) expect(rejection.facts!.clientCert).not.toBeNull()
      else expect(rejection.facts!.clientCert).toBeNull()
      expect(rejection.hello).toMatchObject({ maxVersion: 'TLSv1.3', sni: 'localhost' })
    })

    it(`refuses ${label} (curl)`, async () => {
      const { port } = await start('https+mtls', {})
      const result = await curl(port, identity ? clients[identity] : undefined)
      expect(result.exitCode).not.toBe(0)
      expect(result.stdout).toBe('')
      const rejection = onlyRefusal(await running!.waitForEvents(1))
      expect(rejection.code).toBe(reason)
    })
  }

  it('the unknown-issuer reason names the issuer; expiry reasons name the date', async () => {
    const { port } = await start('https+mtls', {})
    await nodeClient(port, clients.foreign)
    await nodeClient(port, clients.expired)
    const [foreign, expired] = (await running!.waitForEvents(2)).map((event) => (event as Extract<ServerEvent, { kind: 'refused' }>).rejection)
    expect(foreign!.reason).toContain(other.ca.ensureCa().subject)
    expect(expired!.reason).toContain(new Date(clients.expired.issued!.stored.notAfter).toISOString())
  })

  it('refuses a valid certificate whose fingerprint is not pinned, accepts the pinned one', async () => {
    const pinnedOther = clients.expired.issued!.stored.fingerprint256
    let server = await start('https+mtls', { pinnedFingerprints: [pinnedOther] })
    expect((await nodeClient(server.port, clients.valid)).ok).toBe(false)
    expect((await curl(server.port, clients.valid)).exitCode).not.toBe(0)
    const rejections = (await server.waitForEvents(2)).map((event) => (event as Extract<ServerEvent, { kind: 'refused' }>).rejection)
    expect(rejections.map((rejection) => rejection.code)).toEqual(['fingerprint-not-pinned', 'fingerprint-not-pinned'])
    await server.close()
    // Pins are compared normalised: lower case, no colons.
    const pin = normalizeFingerprint(clients.valid.issued!.stored.fingerprint256).toLowerCase()
    server = await start('https+mtls', { pinnedFingerprints: [pin] })
    expect(await nodeClient(server.port, clients.valid)).toMatchObject({ ok: true, status: 200 })
    expect(onlyRequestFacts(await server.waitForEvents(1)).reason).toBe('ok')
  })
})

describe('https+mtls, request', () => {
  it('accepts a client without a certificate and records that none was sent (Node and curl)', async () => {
    const { port } = await start('https+mtls', { mode: 'request' })
    expect(await nodeClient(port)).toMatchObject({ ok: true, status: 200 })
    expect(await curl(port)).toMatchObject({ exitCode: 0, stdout: 'ok' })
    const events = await running!.waitForEvents(2)
    expect(events.map((event) => event.kind)).toEqual(['request', 'request'])
    for (const event of events) {
      expect((event as Extract<ServerEvent, { kind: 'request' }>).facts).toMatchObject({
        clientCertRequested: true,
        clientCert: null,
        authorized: false,
        reason: 'no-certificate'
      })
    }
  })

  it('accepts an expired certificate but records why it would not pass', async () => {
    const { port } = await start('https+mtls', { mode: 'request' })
    expect(await nodeClient(port, clients.expired)).toMatchObject({ ok: true, status: 200 })
    const facts = onlyRequestFacts(await running!.waitForEvents(1))
    expect(facts).toMatchObject({ authorized: false, reason: 'expired' })
    expect(facts.clientCert!.subject).toBe('CN=expired-sender, O=Hookscope client')
  })
})

describe('protocol versions', () => {
  it('refuses a TLS 1.1 client (Node) and says why', async () => {
    const { port } = await start('https+mtls', {})
    const result = await nodeClient(port, clients.valid, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })
    expect(result).toMatchObject({ ok: false })
    expect((result as { message: string }).message).toMatch(/alert protocol version/)
    const events = await running!.waitForEvents(1)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      kind: 'handshake-failed',
      errorCode: 'ERR_SSL_UNSUPPORTED_PROTOCOL',
      rejection: { code: 'protocol-version', reason: 'protocol version TLS 1.1 refused: TLS 1.2 minimum', hello: { maxVersion: 'TLSv1.1' } }
    })
  })

  it('refuses a TLS 1.1 client (curl --tls-max 1.1)', async () => {
    const { port } = await start('https', null)
    const result = await curl(port, undefined, ['--tlsv1.0', '--tls-max', '1.1'])
    expect(result.exitCode).toBe(35) // CURLE_SSL_CONNECT_ERROR
    const events = await running!.waitForEvents(1)
    expect(events[0]).toMatchObject({
      kind: 'handshake-failed',
      rejection: { code: 'protocol-version', reason: 'protocol version TLS 1.1 refused: TLS 1.2 minimum' }
    })
  })

  it('lists plain HTTP sent to an HTTPS endpoint', async () => {
    const { port } = await start('https', null)
    const result = await runCurl([`http://127.0.0.1:${port}/hook`])
    expect(result.exitCode).not.toBe(0)
    const events = await running!.waitForEvents(1)
    expect(events[0]).toMatchObject({ kind: 'handshake-failed', rejection: { code: 'plain-http', hello: null } })
  })
})

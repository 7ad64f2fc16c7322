import { describe, expect, it } from 'vitest'
import { deliveryPrinter, formatRejectedLine } from '../../../electron/cli/listen-command'
import { keyringProblem } from '../../../electron/cli/open-engine'
import { shellQuote } from '../../../electron/cli/shell-quote'
import { isHostName, listenTlsFlags } from '../../../electron/cli/tls-flags'
import { UsageError } from '../../../electron/cli/usage-error'
import type { RejectedConnection } from '../../../shared/model/delivery'

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'

function files(map: Record<string, string>) {
  return (path: string): Buffer => {
    const found = Object.entries(map).find(([name]) => path.endsWith(`/${name}`))
    if (!found) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' })
    return Buffer.from(found[1])
  }
}

describe('listenTlsFlags', () => {
  it('maps the flags to a mode', () => {
    expect(listenTlsFlags({})).toEqual({ mode: 'http', clientCert: 'require', trust: [], extraHosts: [] })
    expect(listenTlsFlags({ https: true }).mode).toBe('https')
    expect(listenTlsFlags({ mtls: 'require' })).toMatchObject({ mode: 'https+mtls', clientCert: 'require' })
    expect(listenTlsFlags({ https: true, mtls: 'request' })).toMatchObject({ mode: 'https+mtls', clientCert: 'request' })
  })

  it('reads --trust files (absolute paths) and normalizes --cert-host names', () => {
    const tls = listenTlsFlags(
      { mtls: 'require', trust: ['a.pem', '/x/b.pem'], 'cert-host': ['Hooks.Example.test', '[::1]', 'hooks.example.test.', '10.0.0.2'] },
      files({ 'a.pem': CA_PEM, 'b.pem': CA_PEM })
    )
    expect(tls.trust.map((file) => file.path)).toEqual([expect.stringMatching(/^\/.*\/a\.pem$/), '/x/b.pem'])
    expect(tls.trust[0]!.pem).toBe(CA_PEM)
    expect(tls.extraHosts).toEqual(['hooks.example.test', '::1', '10.0.0.2'])
  })

  it.each([
    [{ mtls: 'yes' }, /--mtls must be request or require, not "yes"/],
    [{ trust: ['a.pem'] }, /--trust needs --mtls/],
    [{ https: true, trust: ['a.pem'] }, /--trust needs --mtls/],
    [{ 'cert-host': ['x.test'] }, /--cert-host needs --https or --mtls/],
    [{ https: true, 'cert-host': ['bad host'] }, /--cert-host must be a host name or IP address, not "bad host"/],
    [{ https: true, 'cert-host': ['-lead.test'] }, /--cert-host must be/],
    [{ mtls: 'require', trust: ['missing.pem'] }, /--trust \/.*\/missing\.pem: cannot read it \(ENOENT\)/],
    [{ mtls: 'require', trust: ['text.pem'] }, /--trust \/.*\/text\.pem: no PEM certificate/]
  ])('refuses %j with a UsageError', (flags, message) => {
    const read = files({ 'a.pem': CA_PEM, 'text.pem': 'not a certificate' })
    expect(() => listenTlsFlags(flags, read)).toThrow(UsageError)
    expect(() => listenTlsFlags(flags, read)).toThrow(message)
  })

  it('refuses more than 50 extra host names', () => {
    const hosts = Array.from({ length: 51 }, (_, i) => `h${i}.test`)
    expect(() => listenTlsFlags({ https: true, 'cert-host': hosts })).toThrow(/at most 50/)
  })
})

describe('isHostName', () => {
  it.each(['localhost', 'a.b.c', '*.example.test', '127.0.0.1', '::1', '[fe80::1]', 'x-1.test'])('accepts %j', (value) => {
    expect(isHostName(value)).toBe(true)
  })
  it.each(['', 'bad host', '*.test', 'a..b', '-a.test', 'a_b.test', 'a'.repeat(64) + '.test', 'x/y'])('refuses %j', (value) => {
    expect(isHostName(value)).toBe(false)
  })
})

const rejected: RejectedConnection = {
  id: 'r1',
  endpointId: 'default',
  at: Date.UTC(2025, 5, 1, 12, 3, 55, 120),
  remoteAddress: '127.0.0.1',
  remotePort: 51234,
  rejection: { code: 'no-certificate', reason: 'the client sent no certificate', facts: null, hello: null }
}

describe('formatRejectedLine', () => {
  it('prints time (UTC), peer, code and reason', () => {
    expect(formatRejectedLine(rejected)).toBe('12:03:55.120  REJECTED 127.0.0.1:51234  no-certificate: the client sent no certificate')
  })

  it('brackets IPv6 peers and keeps a multi-line reason on one line', () => {
    const line = formatRejectedLine({
      ...rejected,
      remoteAddress: '::1',
      rejection: { ...rejected.rejection, code: 'handshake-failed', reason: 'TLS handshake failed: a\nb\r\nc' }
    })
    expect(line).toBe('12:03:55.120  REJECTED [::1]:51234  handshake-failed: TLS handshake failed: a b c')
  })
})

describe('deliveryPrinter with rejected connections', () => {
  it('prints them in the same batched write, in event order', async () => {
    const writes: string[] = []
    const print = deliveryPrinter((text) => writes.push(text))
    print({ type: 'connection.rejected', connection: rejected })
    print({ type: 'certificates.changed' })
    print({ type: 'connection.rejected', connection: { ...rejected, remotePort: 2 } })
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(1)
    expect(writes[0]!.split('\n').map((line) => line.split('  ')[1])).toEqual(['REJECTED 127.0.0.1:51234', 'REJECTED 127.0.0.1:2'])
  })
})

describe('keyringProblem', () => {
  it('is null once unlocked', () => {
    expect(keyringProblem({ state: 'unlocked', protections: ['passphrase'] }, true, 'x')).toBeNull()
  })
  it('names HOOKSCOPE_PASSPHRASE when none was given', () => {
    expect(keyringProblem({ state: 'uninitialized', protections: [] }, false, 'listen --https')).toMatch(
      /^listen --https needs the keyring unlocked .*set HOOKSCOPE_PASSPHRASE \(at least 8 characters/
    )
  })
  it('explains a keyring only the desktop keychain can open', () => {
    expect(keyringProblem({ state: 'locked', protections: ['os'] }, true, 'cert client')).toMatch(/OS keychain only/)
  })
})

describe('shellQuote', () => {
  it.each([
    ['/tmp/a.pem', '/tmp/a.pem'],
    ['/tmp/my certs/a.pem', `'/tmp/my certs/a.pem'`],
    [`/tmp/it's`, `'/tmp/it'\\''s'`],
    ['$(rm)', `'$(rm)'`]
  ])('%j → %s', (value, quoted) => {
    expect(shellQuote(value)).toBe(quoted)
  })
})

import { describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import type { EngineEvent } from '../../shared/api/contract'
import { absoluteUrl } from '../../shared/lib/request-url'
import { pollUntil } from '../helpers/cli-process'
import { engineEachTest, type TestEngine } from '../helpers/test-engine'
import { httpsGet } from '../helpers/tls-client'

const PASSPHRASE = 'tls integration passphrase'
const engines = engineEachTest()

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8')

async function clientCertificate(t: TestEngine, name: string) {
  const issued = await t.client.invoke('certificates.issueClient', { name })
  const { files } = await t.client.invoke('certificates.exportClient', { id: issued.id, format: 'pem' })
  const byName = (suffix: string) => decode(files.find((f) => f.fileName.endsWith(suffix))!.contentBase64)
  return { cert: byName('.crt.pem'), key: byName('.key.pem'), ca: byName('hookscope-ca.pem') }
}

describe('https and mutual TLS endpoints', () => {
  it('captures over mTLS with a certificate from the local CA and records the TLS facts', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE, endpoint: { tls: { mode: 'https+mtls', clientCert: 'require' } } })
    expect(hook.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/)
    const { cert, key, ca } = await clientCertificate(hook, 'acme-sender')
    const result = await httpsGet({ port: hook.port, ca, cert, key, servername: 'localhost' })
    expect(result).toMatchObject({ ok: true, status: 200 })
    const { items } = await hook.client.invoke('deliveries.list', {})
    expect(items[0]).toMatchObject({ secure: true })
    const delivery = await hook.client.invoke('deliveries.get', { id: items[0]!.id })
    expect(delivery.tls).toMatchObject({ sni: 'localhost', alpn: 'http/1.1', authorized: true, reason: 'ok' })
    expect(delivery.tls!.version).toMatch(/^TLSv1\.[23]$/)
    expect(delivery.tls!.clientCert!.subject).toContain('acme-sender')
    expect(delivery.tls!.clientCert!.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
  })

  it('refuses a client without a certificate in require mode and lists the rejected connection', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE, endpoint: { tls: { mode: 'https+mtls', clientCert: 'require' } } })
    const { ca } = await clientCertificate(hook, 'unused')
    const result = await httpsGet({ port: hook.port, ca, servername: 'localhost' })
    expect(result.ok).toBe(false)
    const rejected = await pollUntil(
      async () => {
        const list = await hook.client.invoke('connections.rejected', {})
        return list.length > 0 ? list : undefined
      },
      'a rejected connection',
      5000
    )
    expect(rejected[0]).toMatchObject({ endpointId: 'test', remoteAddress: '127.0.0.1', rejection: { code: 'no-certificate' } })
    expect(hook.events.some((e: EngineEvent) => e.type === 'connection.rejected')).toBe(true)
    expect((await hook.client.invoke('deliveries.list', {})).items).toHaveLength(0)
  })

  it('accepts and records a missing certificate in request mode', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE, endpoint: { tls: { mode: 'https+mtls', clientCert: 'request' } } })
    const { ca } = await clientCertificate(hook, 'unused')
    expect(await httpsGet({ port: hook.port, ca, servername: 'localhost' })).toMatchObject({ ok: true, status: 200 })
    const { items } = await hook.client.invoke('deliveries.list', {})
    const delivery = await hook.client.invoke('deliveries.get', { id: items[0]!.id })
    expect(delivery.tls).toMatchObject({ authorized: false, reason: 'no-certificate', clientCert: null })
  })

  it('refuses TLS 1.1 and says so', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE, endpoint: { tls: { mode: 'https' } } })
    const exported = await hook.client.invoke('certificates.exportCa', { format: 'pem' })
    const result = await httpsGet({ port: hook.port, ca: decode(exported.contentBase64), maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })
    expect(result.ok).toBe(false)
    const rejected = await pollUntil(
      async () => {
        const list = await hook.client.invoke('connections.rejected', {})
        return list.length > 0 ? list : undefined
      },
      'a rejected connection',
      5000
    )
    expect(rejected[0]!.rejection.code).toBe('protocol-version')
    expect(rejected[0]!.rejection.reason).toMatch(/TLS 1\.2 minimum/)
    // The socket of a failed handshake is closed before we hear of it; the address is still known.
    expect(rejected[0]!.remoteAddress).toBe('127.0.0.1')
    expect(rejected[0]!.remotePort).toBeGreaterThan(0)
    // Clearing the list clears refused connections with the deliveries.
    await hook.client.invoke('deliveries.clear', {})
    expect(await hook.client.invoke('connections.rejected', {})).toEqual([])
  })

  it('verifies signatures over the https URL the sender used', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE, endpoint: { tls: { mode: 'https' } } })
    const exported = await hook.client.invoke('certificates.exportCa', { format: 'pem' })
    await httpsGet({ port: hook.port, ca: decode(exported.contentBase64), servername: 'localhost' })
    const { items } = await hook.client.invoke('deliveries.list', {})
    const delivery = await hook.client.invoke('deliveries.get', { id: items[0]!.id })
    expect(absoluteUrl(delivery)).toMatch(/^https:\/\//)
  })

  it('puts an https endpoint in an error state while the keyring is locked, instead of failing silently', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.stop()
    // Reopened without the passphrase: the keyring exists but is locked, so no server key can be unsealed.
    const engine = await createEngine({ dataDir: engines.dir, host: 'headless', version: 'test' }, { clock: { now: Date.now }, logger: silentLogger })
    try {
      const endpoint = await createLocalClient(engine).invoke('endpoints.create', { name: 'Locked TLS', port: 0, tls: { mode: 'https' } })
      expect(endpoint.state).toMatchObject({ status: 'error', code: 'VAULT_LOCKED' })
      expect(endpoint.state.error).toMatch(/TLS: .*locked/)
    } finally {
      await engine.stop()
    }
  })
})

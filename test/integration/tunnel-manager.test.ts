import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../electron/engine/clock'
import { silentLogger } from '../../electron/engine/logger'
import { openDatabase, type SqliteDatabase } from '../../electron/engine/store/open-database'
import type { Sealer } from '../../electron/engine/tls/sealer'
import { TunnelManager } from '../../electron/engine/tunnel/tunnel-manager'
import { TunnelsRepo } from '../../electron/engine/tunnel/tunnels-repo'
import type { EngineEvent } from '../../shared/api/contract'
import { EngineError } from '../../shared/errors'
import { pollUntil } from '../helpers/cli-process'
import { cleanupList, FakeIngress, httpRequest, startTestRelay } from '../helpers/relay'
import { makeTempDir } from '../helpers/temp-dir'

/** A sealer like the keyring's (AES-256-GCM, context bound in), that can be locked. */
class TestSealer implements Sealer {
  locked = false
  private readonly key = randomBytes(32)
  seal(plaintext: Buffer, context: string): Buffer {
    if (this.locked) throw new EngineError('VAULT_LOCKED', 'locked')
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(context))
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body])
  }
  unseal(sealed: Buffer, context: string): Buffer {
    if (this.locked) throw new EngineError('VAULT_LOCKED', 'locked')
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, 12)).setAAD(Buffer.from(context))
    decipher.setAuthTag(sealed.subarray(12, 28))
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()])
  }
}

const cleanups = cleanupList()
afterEach(() => cleanups.run())

function open(dir: string): SqliteDatabase {
  const db = openDatabase(dir)
  cleanups.add(async () => db.close())
  return db
}

function manager(db: SqliteDatabase, sealer: Sealer, ingress = new FakeIngress()) {
  const events: EngineEvent[] = []
  const tunnels = new TunnelManager({
    repo: new TunnelsRepo(db),
    sealer,
    ingress,
    clock: systemClock,
    logger: silentLogger,
    emit: (event) => events.push(event),
    endpointBodyLimit: (id) => (id === 'default' ? 1024 * 1024 : undefined),
    linkOptions: { backoff: { initialMs: 20, maxMs: 200 } }
  })
  cleanups.add(() => tunnels.stopAll())
  return { tunnels, events, ingress }
}

describe('TunnelManager', () => {
  it('keeps the client token sealed, never in clear in the database, and reconnects after a restart', async () => {
    const dir = makeTempDir()
    cleanups.add(async () => dir.remove())
    const relay = await startTestRelay()
    cleanups.add(() => relay.stop())
    const channel = await relay.createChannel()
    const sealer = new TestSealer()

    const db = open(dir.path)
    const first = manager(db, sealer)
    first.tunnels.startAll()
    const view = await first.tunnels.set('default', { url: channel.url, token: channel.clientToken })
    expect(view.config).toEqual({ endpointId: 'default', url: channel.url, provider: 'hookscope', enabled: true, hasToken: true, tokenStored: true })
    await pollUntil(() => first.events.some((e) => e.type === 'tunnel.changed' && e.tunnel.health.status === 'connected'), 'the tunnel to connect')
    const raw = db.prepare('SELECT * FROM tunnels').all() as Record<string, unknown>[]
    expect(JSON.stringify(raw)).not.toContain(channel.clientToken)
    expect(JSON.stringify(first.events)).not.toContain(channel.clientToken)
    expect((await httpRequest(`${channel.url}/x`, { body: Buffer.from('1') })).status).toBe(200)
    await first.tunnels.stopAll()

    // A new run over the same folder: the sealed token opens and the tunnel comes back.
    const second = manager(db, sealer)
    expect(second.tunnels.list().map((t) => t.config.tokenStored)).toEqual([true])
    second.tunnels.startAll()
    await pollUntil(() => second.events.some((e) => e.type === 'tunnel.changed' && e.tunnel.health.status === 'connected'), 'the tunnel to reconnect')
  })

  it('waits for the keyring when the token is sealed and the keyring is locked, then connects', async () => {
    const dir = makeTempDir()
    cleanups.add(async () => dir.remove())
    const relay = await startTestRelay()
    cleanups.add(() => relay.stop())
    const channel = await relay.createChannel()
    const sealer = new TestSealer()
    const db = open(dir.path)
    const first = manager(db, sealer)
    await first.tunnels.set('default', { url: channel.url, token: channel.clientToken })

    sealer.locked = true
    const second = manager(db, sealer)
    second.tunnels.startAll()
    expect(second.tunnels.list()[0]!.health).toMatchObject({ status: 'offline', error: { code: 'TUNNEL_LOCKED' } })
    sealer.locked = false
    second.tunnels.vaultUnlocked()
    await pollUntil(
      () => second.events.some((e) => e.type === 'tunnel.changed' && e.tunnel.health.status === 'connected'),
      'the tunnel to connect after unlock'
    )
  })

  it('holds a token for the run only while the keyring is locked, and refuses bad input', async () => {
    const dir = makeTempDir()
    cleanups.add(async () => dir.remove())
    const sealer = new TestSealer()
    sealer.locked = true
    const { tunnels } = manager(open(dir.path), sealer)
    const url = 'http://127.0.0.1:1/c/0123456789abcdefghjkmnpq'
    const view = await tunnels.set('default', { url, token: 'tok', enabled: false })
    expect(view.config).toMatchObject({ hasToken: true, tokenStored: false, enabled: false })
    expect(view.health.status).toBe('off')
    await expect(tunnels.set('nope', { url, token: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(tunnels.set('default', { url: 'ftp://x' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await tunnels.set('default', { token: null, url: 'https://smee.io/abc' })
    await expect(tunnels.set('default', { url })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(await tunnels.remove('default')).toBe(true)
    expect(tunnels.list()).toEqual([])
  })
})

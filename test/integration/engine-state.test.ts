import { createServer, type Server } from 'node:net'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineEvent } from '../../shared/api/contract'
import { pollUntil } from '../helpers/cli-process'
import { rawRequest, statusOf } from '../helpers/raw-http'
import { engineEachTest } from '../helpers/test-engine'
import { httpsGet } from '../helpers/tls-client'

/**
 * The engine owns its state: HTTPS endpoints follow the keyring and the CA by themselves, stale
 * verdicts are re-checked when keys change, the in-flight budget refuses what does not fit, and
 * the durability level belongs to the data folder.
 */

const PASSPHRASE = 'engine state passphrase'
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

let blocker: Server | undefined
// Registered before engineEachTest(): after-each hooks run last-registered first, so the engine stops before the port it was refused is freed.
afterEach(async () => {
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)))
  blocker = undefined
})
const engines = engineEachTest()

const decode = (base64: string) => Buffer.from(base64, 'base64').toString('utf8')

describe('HTTPS endpoints follow the keyring and the CA', () => {
  it('start by themselves once the keyring is unlocked (others in error are left alone), with a code to act on', async () => {
    let hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('endpoints.create', { id: 'secure', name: 'Secure', port: 0, tls: { mode: 'https' } })
    blocker = createServer()
    await new Promise<void>((resolve) => blocker!.listen(0, '127.0.0.1', resolve))
    const busyPort = (blocker.address() as { port: number }).port
    await hook.stop()

    hook = await engines.start() // no passphrase: the keyring stays locked
    const busy = await hook.client.invoke('endpoints.create', { id: 'busy', name: 'Busy', port: busyPort })
    expect(busy.state).toMatchObject({ status: 'error', code: 'LISTEN_FAILED' })
    const locked = (await hook.client.invoke('endpoints.list', {})).find((endpoint) => endpoint.id === 'secure')!
    expect(locked.state).toMatchObject({ status: 'error', code: 'VAULT_LOCKED' })

    await hook.client.invoke('vault.unlock', { passphrase: PASSPHRASE })
    // Answered once the waiting endpoint has started: no client had to restart it.
    const after = await hook.client.invoke('endpoints.list', {})
    expect(after.find((endpoint) => endpoint.id === 'secure')!.state).toMatchObject({ status: 'listening', code: null })
    expect(after.find((endpoint) => endpoint.id === 'busy')!.state).toMatchObject({ status: 'error', code: 'LISTEN_FAILED' })
  })

  it('restart with a certificate from the new CA when the CA is regenerated', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE, endpoint: { tls: { mode: 'https' } } })
    const oldCa = decode((await hook.client.invoke('certificates.exportCa', { format: 'pem' })).contentBase64)
    expect(await httpsGet({ port: hook.port, ca: oldCa, servername: 'localhost' })).toMatchObject({ ok: true })

    await hook.client.invoke('certificates.regenerateCa', {})
    const newCa = decode((await hook.client.invoke('certificates.exportCa', { format: 'pem' })).contentBase64)
    expect(newCa).not.toBe(oldCa)
    const endpoint = (await hook.client.invoke('endpoints.list', {})).find((e) => e.id === 'test')!
    expect(endpoint.state.status).toBe('listening')
    const port = endpoint.state.port!
    expect(await httpsGet({ port, ca: newCa, servername: 'localhost' })).toMatchObject({ ok: true })
    expect(await httpsGet({ port, ca: oldCa, servername: 'localhost' })).toMatchObject({ ok: false })
  })
})

describe('adding a key re-checks the deliveries still unchecked for its scheme', () => {
  it('turns them valid in the worker, with progress events, and leaves other deliveries alone', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    const send = async (id: string) => {
      const body = `{"n":"${id}"}`
      const at = new Date()
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(SECRET).sign(id, at, body)
      }
      const res = await fetch(hook.url, { method: 'POST', headers, body })
      return ((await res.json()) as { id: string }).id
    }
    const ids = [await send('msg_1'), await send('msg_2'), await send('msg_3')]
    const plain = ((await (await fetch(hook.url, { method: 'POST', body: 'plain' })).json()) as { id: string }).id
    for (const id of ids) expect((await hook.client.invoke('deliveries.get', { id })).verdict).toMatchObject({ status: 'unchecked', code: 'NO_KEY' })

    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const done = await pollUntil(
      () =>
        hook.events.find(
          (e): e is Extract<EngineEvent, { type: 'deliveries.recheck' }> => e.type === 'deliveries.recheck' && e.done === e.total && e.total > 0
        ),
      'the re-check to finish'
    )
    expect(done).toEqual({ type: 'deliveries.recheck', schemes: ['standard-webhooks'], done: 3, total: 3 })
    for (const id of ids)
      expect((await hook.client.invoke('deliveries.get', { id })).verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
    const updated = hook.events.flatMap((e) => (e.type === 'delivery.updated' ? [e.delivery.id] : []))
    expect(updated.sort()).toEqual([...ids].sort())
    expect((await hook.client.invoke('deliveries.get', { id: plain })).verdict).toMatchObject({ status: 'unchecked', code: 'NO_SCHEME' })
  })
})

describe('the in-flight body budget', () => {
  it('refuses what does not fit with 503 and Retry-After, lists it as refused, and serves again once there is room', async () => {
    const hook = await engines.start({ maxInFlightBodyBytes: 1000 })
    const declared = await rawRequest(hook.port, [`POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n`, 'x'.repeat(5000)])
    expect(statusOf(declared.response)).toBe(503)
    expect(declared.response).toMatch(/\r\nRetry-After: \d+\r\n/i)
    // A chunked body that outgrows the budget on the way.
    const chunked = await rawRequest(hook.port, [
      'POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      `258\r\n${'a'.repeat(600)}\r\n`,
      `258\r\n${'b'.repeat(600)}\r\n0\r\n\r\n`
    ])
    expect(statusOf(chunked.response)).toBe(503)
    const refused = await hook.client.invoke('connections.rejected', {})
    expect(refused.map((connection) => connection.rejection.code)).toEqual(['over-capacity', 'over-capacity'])
    expect(refused[1]!.rejection.reason).toContain('POST /big')
    expect((await hook.client.invoke('deliveries.list', {})).items).toEqual([])

    expect((await fetch(hook.url, { method: 'POST', body: 'x'.repeat(900) })).status).toBe(200)
    expect((await fetch(hook.url, { method: 'POST', body: 'y'.repeat(900) })).status).toBe(200)
  })
})

describe('durability belongs to the data folder', () => {
  it('is crash by default, can be set, and is kept across starts', async () => {
    let hook = await engines.start()
    expect(await hook.client.invoke('settings.get', {})).toEqual({ durability: 'crash' })
    expect(await hook.client.invoke('settings.update', { durability: 'fsync' })).toEqual({ durability: 'fsync' })
    expect(hook.events).toContainEqual({ type: 'settings.changed', settings: { durability: 'fsync' } })
    expect((await fetch(hook.url, { method: 'POST', body: 'synced' })).status).toBe(200)
    await hook.stop()

    hook = await engines.start()
    expect(await hook.client.invoke('settings.get', {})).toEqual({ durability: 'fsync' })
    await hook.stop()
    // What the command line sets (listen --durability) is kept too.
    hook = await engines.start({ durability: 'crash' })
    expect(await hook.client.invoke('settings.get', {})).toEqual({ durability: 'crash' })
    await expect(hook.client.invoke('settings.update', { durability: 'sometimes' as never })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})

import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { engineEachTest } from '../helpers/test-engine'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const PASSPHRASE = 'correct horse battery staple'

const engines = engineEachTest()

function signedHeaders(id: string, body: string, at = new Date()) {
  const signature = new Webhook(SECRET).sign(id, at, body)
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature }
}

async function send(url: string, headers: Record<string, string>, body: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  return ((await res.json()) as { id: string }).id
}

describe('verification at capture', () => {
  it('stores a verdict with each delivery and announces it in delivery.added', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = '{"type":"order.created"}'
    const id = await send(hook.url, signedHeaders('msg_1', body), body)
    const delivery = await hook.client.invoke('deliveries.get', { id })
    expect(delivery.verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
    expect(delivery.verdictDetail).toMatchObject({ status: 'valid', deliveryId: 'msg_1' })
    const added = hook.events.find((e) => e.type === 'delivery.added')
    expect(added).toMatchObject({ delivery: { id, verdict: { status: 'valid' } } })
  })

  it('stores the verdict without its signed-content preview, and every read gives the preview back', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = '{"type":"order.shipped","note":"compact"}'
    const headers = signedHeaders('msg_compact', body)
    const id = await send(hook.url, headers, body)
    const preview = `msg_compact.${headers['webhook-timestamp']}.${body}`

    // Capture stored a reference to the body in place of the preview.
    const db = new Database(join(engines.dir, 'hookscope.db'), { readonly: true })
    try {
      const stored = JSON.parse((db.prepare('SELECT verdict FROM deliveries WHERE id = ?').get(id) as { verdict: string }).verdict) as Record<string, unknown>
      expect(stored).toMatchObject({ status: 'valid', signedContentRef: { before: `msg_compact.${headers['webhook-timestamp']}.`, after: '' } })
      expect(stored.signedContent).toBeUndefined()
    } finally {
      db.close()
    }
    // The API reads give the preview, and never the reference.
    const delivery = await hook.client.invoke('deliveries.get', { id })
    expect(delivery.verdictDetail).toMatchObject({ status: 'valid', signedContent: preview })
    expect(delivery.verdictDetail).not.toHaveProperty('signedContentRef')
    const rechecked = await hook.client.invoke('deliveries.verify', { id })
    expect(rechecked).toMatchObject({ status: 'valid', signedContent: preview })
    expect(rechecked).not.toHaveProperty('signedContentRef')
  })

  it('catches a replayed delivery id, and only for the second copy', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = '{"n":1}'
    const headers = signedHeaders('msg_replayed', body)
    const first = await send(hook.url, headers, body)
    const second = await send(hook.url, headers, body)
    const a = await hook.client.invoke('deliveries.get', { id: first })
    const b = await hook.client.invoke('deliveries.get', { id: second })
    expect(a.verdict?.status).toBe('valid')
    expect(b.verdictDetail).toMatchObject({ status: 'invalid', code: 'DUPLICATE_DELIVERY', duplicateOf: first })
    // Re-checking the first one does not turn it into a replay of itself.
    expect(await hook.client.invoke('deliveries.verify', { id: first })).toMatchObject({ status: 'valid' })
  })

  it('says "no key" until a key is added, then re-verifies on demand', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    const body = '{"late":"key"}'
    const id = await send(hook.url, signedHeaders('msg_late', body), body)
    expect((await hook.client.invoke('deliveries.get', { id })).verdictDetail).toMatchObject({
      status: 'unchecked',
      code: 'NO_KEY',
      scheme: 'standard-webhooks'
    })
    await hook.client.invoke('keys.create', { name: 'Late', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const verdict = await hook.client.invoke('deliveries.verify', { id })
    expect(verdict.status).toBe('valid')
    expect(hook.events.some((e) => e.type === 'delivery.updated' && e.delivery.id === id && e.delivery.verdict?.status === 'valid')).toBe(true)
  })

  it('judges the timestamp at arrival time, also when re-verified later', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = '{"old":true}'
    const id = await send(hook.url, signedHeaders('msg_old', body, new Date(Date.now() - 3600_000)), body)
    const verdict = await hook.client.invoke('deliveries.verify', { id })
    expect(verdict).toMatchObject({ status: 'invalid', code: 'TIMESTAMP_STALE' })
    expect(verdict.timestamp!.skewSeconds).toBeGreaterThanOrEqual(3599)
  })

  it('reports a locked keyring instead of guessing', async () => {
    let hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Orders', scheme: 'standard-webhooks', material: { secret: SECRET } })
    await hook.stop()
    hook = await engines.start()
    expect((await hook.client.invoke('vault.status', {})).state).toBe('locked')
    const body = '{"while":"locked"}'
    const id = await send(hook.url, signedHeaders('msg_locked', body), body)
    expect((await hook.client.invoke('deliveries.get', { id })).verdict).toMatchObject({ status: 'unchecked', code: 'KEYRING_LOCKED' })
    await hook.client.invoke('vault.unlock', { passphrase: PASSPHRASE })
    expect(await hook.client.invoke('deliveries.verify', { id })).toMatchObject({ status: 'valid' })
  })
})

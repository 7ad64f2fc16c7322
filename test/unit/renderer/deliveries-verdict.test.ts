import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDeliveriesStore, type DeliveriesStore } from '../../../renderer/src/stores/deliveries-store'
import { EngineError } from '../../../shared/errors'
import type { Verdict } from '../../../shared/model/verdict'
import { FakeEngineClient, makeDelivery, settle, summaryOf } from './fake-engine-client'

let client: FakeEngineClient
let store: DeliveriesStore

beforeEach(() => {
  vi.useFakeTimers()
  client = new FakeEngineClient()
  store = createDeliveriesStore(client, { pageSize: 10, liveFlushMs: 50 })
  client.subscribe((event) => store.getState().handleEvent(event))
})

afterEach(() => {
  store.getState().dispose()
  vi.useRealTimers()
})

const verdict = (patch: Partial<Verdict> = {}): Verdict => ({
  status: 'valid',
  scheme: 'standard-webhooks',
  keyId: 'key_1',
  code: null,
  summary: 'Signature matches key "Orders".',
  steps: [{ label: 'HMAC', ok: true }],
  findings: [],
  checkedAt: 5,
  ...patch
})

async function openOne() {
  const delivery = makeDelivery()
  client.deliveries = [delivery]
  await store.getState().reload()
  store.getState().select(delivery.id)
  await settle()
  return delivery
}

describe('deliveries store: verdicts', () => {
  it('re-checks a delivery and puts the new verdict into its row and the open detail', async () => {
    const delivery = await openOne()
    client.verdicts[delivery.id] = verdict()
    const outcome = await store.getState().recheck(delivery.id)
    expect(outcome).toEqual({ ok: true, value: verdict() })
    expect(store.getState().rows[0]!.verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
    const detail = store.getState().details[delivery.id]
    expect(detail?.status === 'ready' && detail.delivery.verdictDetail).toEqual(verdict())
  })

  it('returns the engine sentence when a re-check fails', async () => {
    const delivery = await openOne()
    client.failNext['deliveries.verify'] = new EngineError('NOT_FOUND', `no delivery with id "${delivery.id}"`)
    expect(await store.getState().recheck(delivery.id)).toEqual({ ok: false, error: `no delivery with id "${delivery.id}"` })
    expect(store.getState().rows[0]!.verdict).toBeNull()
  })

  it('keeps the open detail on screen while a delivery.updated refetch is in flight', async () => {
    const delivery = await openOne()
    const next = verdict({ status: 'invalid', code: 'SIG_MISMATCH', summary: 'Signature mismatch.' })
    client.deliveries[0] = { ...delivery, verdict: { status: 'invalid', scheme: 'standard-webhooks', code: 'SIG_MISMATCH' }, verdictDetail: next }
    client.paused = true
    client.broadcast({ type: 'delivery.updated', delivery: summaryOf(client.deliveries[0]!) })
    vi.advanceTimersByTime(50)
    // Still the delivery (never 'loading'), with the new badge already.
    const during = store.getState().details[delivery.id]
    expect(during?.status).toBe('ready')
    expect(during?.status === 'ready' && during.delivery.verdict?.code).toBe('SIG_MISMATCH')
    client.release()
    await settle()
    const after = store.getState().details[delivery.id]
    expect(after?.status === 'ready' && after.delivery.verdictDetail?.summary).toBe('Signature mismatch.')
  })

  it('drops cached details of other deliveries that were re-verified', async () => {
    const [a, b] = [makeDelivery(), makeDelivery()]
    client.deliveries = [b, a]
    await store.getState().reload()
    store.getState().select(a.id)
    await settle()
    store.getState().select(b.id)
    await settle()
    client.broadcast({ type: 'delivery.updated', delivery: { ...summaryOf(a), verdict: { status: 'valid', scheme: 'github', code: null } } })
    vi.advanceTimersByTime(50)
    await settle()
    expect(Object.keys(store.getState().details)).toEqual([b.id])
  })

  it('a late answer from an older detail fetch does not replace a newer one', async () => {
    const delivery = await openOne()
    client.paused = true
    client.deliveries[0] = { ...delivery, verdictDetail: verdict({ summary: 'first' }) }
    client.broadcast({ type: 'delivery.updated', delivery: summaryOf(client.deliveries[0]!) })
    vi.advanceTimersByTime(50)
    client.deliveries[0] = { ...delivery, verdictDetail: verdict({ summary: 'second' }) }
    client.broadcast({ type: 'delivery.updated', delivery: summaryOf(client.deliveries[0]!) })
    vi.advanceTimersByTime(50)
    client.release('lifo')
    await settle()
    const detail = store.getState().details[delivery.id]
    expect(detail?.status === 'ready' && detail.delivery.verdictDetail?.summary).toBe('second')
  })

  it('shows a delivery deleted during a refresh as gone', async () => {
    const delivery = await openOne()
    client.deliveries = []
    client.broadcast({ type: 'delivery.updated', delivery: summaryOf(delivery) })
    vi.advanceTimersByTime(50)
    await settle()
    expect(store.getState().details[delivery.id]).toMatchObject({ status: 'error', gone: true })
  })
})

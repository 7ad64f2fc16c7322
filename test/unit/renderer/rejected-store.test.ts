import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRejectedStore, type RejectedStore } from '../../../renderer/src/stores/rejected-store'
import { EngineError } from '../../../shared/errors'
import { FakeEngineClient, makeRejected, settle } from './fake-engine-client'

let client: FakeEngineClient
let store: RejectedStore
let now = 1_700_000_100_000

const ids = () => store.getState().items.map((item) => item.id)

beforeEach(() => {
  vi.useFakeTimers()
  client = new FakeEngineClient()
  store = createRejectedStore(client, { maxItems: 3, liveFlushMs: 50, now: () => now })
  client.subscribe((event) => store.getState().handleEvent(event))
})

afterEach(() => {
  store.getState().dispose()
  vi.useRealTimers()
})

describe('rejected connections store', () => {
  it('loads the newest, capped, and reports a failure', async () => {
    const made = [makeRejected(), makeRejected(), makeRejected(), makeRejected()]
    client.rejected = [...made].reverse()
    client.failNext['connections.rejected'] = new EngineError('TRANSPORT', 'engine unreachable')
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loadStatus: 'error', loadError: 'engine unreachable' })
    await store.getState().load()
    expect(client.callsOf('connections.rejected').at(-1)).toEqual({ limit: 3 })
    expect(ids()).toEqual([made[3]!.id, made[2]!.id, made[1]!.id])
    expect(store.getState().loadStatus).toBe('ready')
  })

  it('adds live ones in one batch, newest first, without duplicates, within the cap', async () => {
    await store.getState().load()
    const burst = [makeRejected(), makeRejected(), makeRejected(), makeRejected()]
    for (const connection of burst) client.broadcast({ type: 'connection.rejected', connection })
    client.broadcast({ type: 'connection.rejected', connection: burst[3]! })
    expect(ids()).toEqual([])
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([burst[3]!.id, burst[2]!.id, burst[1]!.id])
  })

  it('keeps what arrived while the first load was in flight', async () => {
    const old = makeRejected()
    client.rejected = [old]
    client.paused = true
    const loading = store.getState().load()
    const live = makeRejected()
    client.broadcast({ type: 'connection.rejected', connection: live })
    client.release()
    await loading
    expect(ids()).toEqual([live.id, old.id])
  })

  it('keeps the selected connection whole, even once newer ones push it out of the list', async () => {
    const first = makeRejected()
    client.rejected = [first]
    await store.getState().load()
    store.getState().select(first.id)
    expect(store.getState().selected).toEqual(first)
    for (let i = 0; i < 4; i++) client.broadcast({ type: 'connection.rejected', connection: makeRejected() })
    vi.advanceTimersByTime(50)
    expect(ids()).not.toContain(first.id)
    expect(store.getState().selected?.id).toBe(first.id)
    store.getState().select(null)
    expect(store.getState().selected).toBeNull()
  })

  it('selects a live one still waiting for its batch', () => {
    const live = makeRejected()
    client.broadcast({ type: 'connection.rejected', connection: live })
    store.getState().select(live.id)
    expect(store.getState().selected?.id).toBe(live.id)
  })

  it('hides what "Clear all" cleared (the engine keeps them), for all or one endpoint', async () => {
    const a = makeRejected({ endpointId: 'a' })
    const b = makeRejected({ endpointId: 'b' })
    client.rejected = [b, a]
    await store.getState().load()
    store.getState().select(a.id)

    client.broadcast({ type: 'deliveries.cleared', endpointId: 'a' })
    expect(ids()).toEqual([b.id])
    expect(store.getState().selected).toBeNull()
    // A reload (reconnect) does not bring it back.
    client.broadcast({ type: 'stream.reset' })
    await settle()
    expect(ids()).toEqual([b.id])

    client.broadcast({ type: 'deliveries.cleared', endpointId: null })
    expect(ids()).toEqual([])
    await store.getState().load()
    expect(ids()).toEqual([])

    // Refused after the clear: listed again.
    now += 1_000_000_000
    const later = makeRejected({ at: now + 1 })
    client.broadcast({ type: 'connection.rejected', connection: later })
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([later.id])
  })

  it('drops a stale load answer', async () => {
    client.rejected = [makeRejected()]
    client.paused = true
    const first = store.getState().load()
    const fresh = makeRejected()
    client.rejected = [fresh]
    const second = store.getState().load()
    client.release('lifo')
    await Promise.all([first, second])
    expect(ids()).toEqual([fresh.id])
  })
})

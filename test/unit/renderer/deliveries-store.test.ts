import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDeliveriesStore, type DeliveriesStore } from '../../../renderer/src/stores/deliveries-store'
import { EngineError } from '../../../shared/errors'
import { encodeBase64 } from '../../../shared/lib/base64'
import { encodeUtf8 } from '../../../shared/lib/utf8'
import { FakeEngineClient, makeDelivery, settle, summaryOf } from './fake-engine-client'

let client: FakeEngineClient
let store: DeliveriesStore

const ids = () => store.getState().rows.map((row) => row.id)

beforeEach(() => {
  vi.useFakeTimers()
  client = new FakeEngineClient()
  store = createDeliveriesStore(client, { pageSize: 3, searchDebounceMs: 250, liveFlushMs: 50, maxCachedDetails: 2 })
  client.subscribe((event) => store.getState().handleEvent(event))
})

afterEach(() => {
  store.getState().dispose()
  vi.useRealTimers()
})

/** Seeds deliveries oldest first; the fake lists newest first like the engine. */
function seed(count: number) {
  const made = Array.from({ length: count }, () => makeDelivery())
  client.deliveries = [...made].reverse()
  return made
}

describe('deliveries store: paging', () => {
  it('loads newest first and pages older ones through the cursor until the end', async () => {
    const made = seed(7)
    await store.getState().reload()
    expect(ids()).toEqual([made[6]!.id, made[5]!.id, made[4]!.id])
    expect(store.getState()).toMatchObject({ listStatus: 'ready', everLoaded: true, nextCursor: '3' })

    await store.getState().loadMore()
    await store.getState().loadMore()
    expect(ids()).toEqual([...made].reverse().map((d) => d.id))
    expect(store.getState().nextCursor).toBeNull()

    await store.getState().loadMore()
    expect(client.callsOf('deliveries.list')).toEqual([{ limit: 3 }, { limit: 3, cursor: '3' }, { limit: 3, cursor: '6' }])
  })

  it('does not start a second page request while one is in flight', async () => {
    seed(7)
    await store.getState().reload()
    client.paused = true
    void store.getState().loadMore()
    void store.getState().loadMore()
    client.release()
    await settle()
    expect(client.callsOf('deliveries.list')).toHaveLength(2)
    expect(ids()).toHaveLength(6)
  })

  it('reports a failed load as an error state with the engine message', async () => {
    client.failNext['deliveries.list'] = new EngineError('STORE_LOCKED', 'store is locked')
    await store.getState().reload()
    expect(store.getState()).toMatchObject({ listStatus: 'error', listError: 'store is locked', everLoaded: false })
  })
})

describe('deliveries store: live events', () => {
  it('batches new deliveries and puts them on top, newest first', async () => {
    seed(2)
    await store.getState().reload()
    const a = makeDelivery()
    const b = makeDelivery()
    client.capture(a)
    client.capture(b)
    expect(ids()).toHaveLength(2) // not yet: batched
    vi.advanceTimersByTime(50)
    expect(ids().slice(0, 2)).toEqual([b.id, a.id])
    expect(ids()).toHaveLength(4)
  })

  it('merges deliveries that arrive during a reload without duplicates', async () => {
    seed(1)
    client.paused = true
    const loading = store.getState().reload()
    const early = makeDelivery()
    client.capture(early) // the page in flight was computed before this one
    client.broadcast({ type: 'delivery.added', delivery: summaryOf(client.deliveries[1]!) }) // already in the page
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([]) // nothing shown until the reload lands
    client.release()
    await loading
    expect(ids()).toEqual([early.id, client.deliveries[1]!.id])
  })

  it('applies removals and clears, dropping selection and cached details', async () => {
    const made = seed(3)
    await store.getState().reload()
    store.getState().select(made[2]!.id)
    await settle()
    expect(store.getState().details[made[2]!.id]?.status).toBe('ready')

    client.broadcast({ type: 'deliveries.removed', ids: [made[2]!.id] })
    vi.advanceTimersByTime(50) // batched with live additions
    expect(ids()).toEqual([made[1]!.id, made[0]!.id])
    expect(store.getState().selectedId).toBeNull()
    expect(store.getState().details).toEqual({})

    client.broadcast({ type: 'deliveries.cleared', endpointId: null })
    expect(ids()).toEqual([])
    expect(store.getState().nextCursor).toBeNull()
  })

  it('cancels a queued addition when its removal arrives in the same batch', async () => {
    await store.getState().reload()
    const d = makeDelivery()
    client.capture(d)
    client.broadcast({ type: 'deliveries.removed', ids: [d.id] })
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([])
  })

  it('clears only the named endpoint', async () => {
    const a = makeDelivery({ endpointId: 'a' })
    const b = makeDelivery({ endpointId: 'b' })
    client.deliveries = [b, a]
    await store.getState().reload()
    client.broadcast({ type: 'deliveries.cleared', endpointId: 'a' })
    expect(ids()).toEqual([b.id])
  })

  it('does not resurrect a delivery removed while a reload was in flight', async () => {
    const made = seed(2)
    client.paused = true
    const loading = store.getState().reload()
    client.broadcast({ type: 'deliveries.removed', ids: [made[1]!.id] })
    client.release()
    await loading
    expect(ids()).toEqual([made[0]!.id])
  })

  it('replaces a summary on delivery.updated and refetches the open detail', async () => {
    const [d] = seed(1)
    await store.getState().reload()
    store.getState().select(d!.id)
    await settle()
    const verdict = { status: 'valid', scheme: 'github', code: null } as const
    client.deliveries[0] = { ...d!, verdict }
    client.broadcast({ type: 'delivery.updated', delivery: summaryOf(client.deliveries[0]!) })
    vi.advanceTimersByTime(50)
    await settle()
    expect(store.getState().rows[0]!.verdict).toEqual(verdict)
    const detail = store.getState().details[d!.id]
    expect(detail?.status === 'ready' && detail.delivery.verdict).toEqual(verdict)
  })

  it('refetches the list and the open detail on stream.reset', async () => {
    const [d] = seed(1)
    await store.getState().reload()
    store.getState().select(d!.id)
    await settle()
    const missed = makeDelivery()
    client.deliveries.unshift(missed) // captured while disconnected: no event
    client.broadcast({ type: 'stream.reset' })
    await settle()
    expect(ids()).toEqual([missed.id, d!.id])
    expect(client.callsOf('deliveries.get')).toHaveLength(2)
  })
})

describe('deliveries store: filters', () => {
  it('debounces free text into one list call with q', async () => {
    seed(2)
    await store.getState().reload()
    store.getState().setQuery('h')
    store.getState().setQuery('ho')
    store.getState().setQuery('hook')
    expect(store.getState().filter.q).toBe('hook')
    vi.advanceTimersByTime(249)
    expect(client.callsOf('deliveries.list')).toHaveLength(1)
    vi.advanceTimersByTime(1)
    await settle()
    expect(client.callsOf('deliveries.list')).toEqual([{ limit: 3 }, { limit: 3, q: 'hook' }])
  })

  it('searches bodies through the engine and lists only matches', async () => {
    const match = makeDelivery({ bodyBase64: encodeBase64(encodeUtf8('{"event":"invoice.paid"}')) })
    const other = makeDelivery()
    client.deliveries = [other, match]
    store.getState().setQuery('invoice')
    vi.advanceTimersByTime(250)
    await settle()
    expect(ids()).toEqual([match.id])
  })

  it('drops answers for a filter that was replaced meanwhile', async () => {
    const a = makeDelivery({ endpointId: 'a' })
    const b = makeDelivery({ endpointId: 'b' })
    client.deliveries = [b, a]
    client.paused = true
    const first = store.getState().reload()
    store.getState().setEndpointFilter('a')
    client.release('lifo') // the filtered answer lands first, the stale unfiltered one after
    await first
    await settle()
    expect(ids()).toEqual([a.id])
    expect(client.callsOf('deliveries.list').at(-1)).toEqual({ limit: 3, endpointId: 'a' })
  })

  it('keeps live deliveries that do not match the endpoint or method filter out', async () => {
    await store.getState().reload()
    store.getState().setEndpointFilter('a')
    store.getState().setMethodFilter('POST')
    await settle()
    client.capture(makeDelivery({ endpointId: 'b' }))
    client.capture(makeDelivery({ endpointId: 'a', method: 'GET' }))
    const hit = makeDelivery({ endpointId: 'a', method: 'POST' })
    client.capture(hit)
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([hit.id])
  })

  it('asks the engine about live deliveries while free text is active', async () => {
    await store.getState().setQuery('special')
    vi.advanceTimersByTime(250)
    await settle()
    const hit = makeDelivery({ url: '/special/1' })
    client.capture(makeDelivery({ url: '/plain' }))
    client.capture(hit)
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([]) // summaries cannot say whether bodies match
    vi.advanceTimersByTime(250)
    await settle()
    expect(ids()).toEqual([hit.id])
  })
})

describe('deliveries store: selection and actions', () => {
  it('fetches a detail once, caches a bounded number, and marks deleted ones as gone', async () => {
    const made = seed(3)
    await store.getState().reload()
    store.getState().select(made[0]!.id)
    await settle()
    store.getState().select(made[0]!.id)
    await settle()
    expect(client.callsOf('deliveries.get')).toEqual([{ id: made[0]!.id }])

    store.getState().select(made[1]!.id)
    await settle()
    store.getState().select(made[2]!.id)
    await settle()
    expect(Object.keys(store.getState().details)).toEqual([made[1]!.id, made[2]!.id])

    client.deliveries = client.deliveries.filter((d) => d.id !== made[0]!.id)
    store.getState().select(made[0]!.id)
    await settle()
    expect(store.getState().details[made[0]!.id]).toMatchObject({ status: 'error', gone: true })
  })

  it('moves the selection with selectAdjacent, clamped at the ends', async () => {
    const made = seed(3)
    await store.getState().reload()
    store.getState().selectAdjacent(1)
    expect(store.getState().selectedId).toBe(made[2]!.id)
    store.getState().selectAdjacent(1)
    store.getState().selectAdjacent(1)
    store.getState().selectAdjacent(1)
    expect(store.getState().selectedId).toBe(made[0]!.id)
    store.getState().selectAdjacent(-1)
    expect(store.getState().selectedId).toBe(made[1]!.id)
  })

  it('deletes through the engine and shows failures as a message', async () => {
    const made = seed(2)
    await store.getState().reload()
    await store.getState().remove(made[1]!.id)
    expect(client.callsOf('deliveries.delete')).toEqual([{ id: made[1]!.id }])
    expect(ids()).toEqual([made[0]!.id])

    client.failNext['deliveries.clear'] = new EngineError('INTERNAL', 'disk full')
    await store.getState().clearAll()
    expect(store.getState().actionError).toBe('disk full')
    expect(ids()).toEqual([made[0]!.id])
    store.getState().dismissActionError()
    await store.getState().clearAll()
    expect(ids()).toEqual([])
    expect(store.getState().actionError).toBeNull()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createDeliveriesStore, type DeliveriesStore } from '../../../renderer/src/stores/deliveries-store'
import type { Verdict } from '../../../shared/model/verdict'
import { FakeEngineClient, makeDelivery, settle, summaryOf } from './fake-engine-client'

let client: FakeEngineClient
let store: DeliveriesStore

const ids = () => store.getState().rows.map((row) => row.id)
const NOW = new Date(2025, 5, 1, 15, 0, 0).getTime()

function make(options: {
  receivedAt?: number
  status?: Verdict['status']
  scheme?: string
  code?: Verdict['code']
  eventType?: string
  responseStatus?: number
}) {
  return makeDelivery({
    receivedAt: options.receivedAt ?? NOW - 60_000,
    verdict: options.status ? { status: options.status, scheme: options.scheme ?? null, code: options.code ?? null } : null,
    eventType: options.eventType ?? null,
    responseStatus: options.responseStatus ?? 200
  })
}

beforeEach(() => {
  vi.useFakeTimers()
  client = new FakeEngineClient()
  store = createDeliveriesStore(client, { pageSize: 3, searchDebounceMs: 250, liveFlushMs: 50, countDebounceMs: 500, maxHeld: 4, now: () => NOW })
  client.subscribe((event) => store.getState().handleEvent(event))
})

afterEach(() => {
  store.getState().dispose()
  vi.useRealTimers()
})

describe('deliveries store: structured filters', () => {
  it('sends every filter to the engine and counts the matches after the first page', async () => {
    const a = make({ status: 'invalid', scheme: 'stripe', code: 'SIG_MISMATCH', eventType: 'invoice.paid', responseStatus: 500 })
    const b = make({ status: 'valid', scheme: 'stripe', eventType: 'invoice.created' })
    const c = make({ status: 'invalid', scheme: 'github', code: 'TIMESTAMP_STALE', eventType: 'push' })
    client.deliveries = [c, b, a]
    await store.getState().reload()
    expect(store.getState()).toMatchObject({ total: 3, matched: 3 })

    store.getState().setFilter({ verdict: 'invalid', scheme: 'stripe', status: '5xx', eventType: 'invoice', time: { preset: 'today' } })
    await settle()
    const midnight = new Date(2025, 5, 1).getTime()
    expect(client.callsOf('deliveries.list').at(-1)).toEqual({
      limit: 3,
      verdict: 'invalid',
      scheme: 'stripe',
      status: '5xx',
      eventType: 'invoice',
      from: midnight
    })
    expect(ids()).toEqual([a.id])
    // One page held every match: that is the count, nothing to ask.
    expect(client.callsOf('deliveries.count')).toHaveLength(0)
    expect(store.getState()).toMatchObject({ total: 3, matched: 1 })

    // More matches than a page: counted by the engine, with the same query.
    client.deliveries = [
      ...Array.from({ length: 4 }, () => make({ status: 'invalid', scheme: 'stripe', eventType: 'invoice.x', responseStatus: 502 })),
      ...client.deliveries
    ]
    await store.getState().reload()
    await settle()
    expect(client.callsOf('deliveries.count').at(-1)).toEqual({ verdict: 'invalid', scheme: 'stripe', status: '5xx', eventType: 'invoice', from: midnight })
    expect(store.getState()).toMatchObject({ total: 7, matched: 5, matchedCapped: false })
    client.deliveries = client.deliveries.slice(4)

    store.getState().clearFilters()
    await settle()
    expect(ids()).toEqual([c.id, b.id, a.id])
    expect(store.getState()).toMatchObject({ matched: 3 })
  })

  it('keeps the free text when clearing the structured filters, and ignores a filter that did not change', async () => {
    await store.getState().reload()
    store.getState().setFilter({ code: 'SIG_MISMATCH' })
    store.getState().setQuery('orders')
    store.getState().clearFilters()
    expect(store.getState().filter).toEqual({ q: 'orders', endpointId: null, method: null })
    const calls = client.callsOf('deliveries.list').length
    store.getState().setFilter({ verdict: null })
    store.getState().applyFilter({ ...store.getState().filter })
    expect(client.callsOf('deliveries.list')).toHaveLength(calls)
  })

  it('decides live deliveries locally by every structured field', async () => {
    store.getState().setFilter({ verdict: 'invalid', eventType: 'invoice' })
    await settle()
    const yes = make({ status: 'invalid', eventType: 'invoice.paid' })
    const noVerdict = make({ status: 'valid', eventType: 'invoice.paid' })
    const noType = make({ status: 'invalid', eventType: 'invoices' })
    for (const delivery of [yes, noVerdict, noType]) client.capture(delivery)
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([yes.id])
    // Counted locally too: no engine call for them.
    expect(store.getState()).toMatchObject({ total: 3, matched: 1 })
    expect(client.callsOf('deliveries.count')).toHaveLength(0)
  })

  it('asks the engine to count again when only it can tell (free text, removals, new verdicts)', async () => {
    client.deliveries = [make({ status: 'invalid' }), make({ status: 'invalid' })]
    store.getState().setFilter({ verdict: 'invalid' })
    await settle()
    expect(store.getState().matched).toBe(2)
    const removed = client.deliveries[0]!
    client.deliveries = client.deliveries.slice(1)
    client.broadcast({ type: 'deliveries.removed', ids: [removed.id] })
    vi.advanceTimersByTime(50)
    expect(store.getState().total).toBe(1)
    expect(client.callsOf('deliveries.count')).toHaveLength(0)
    vi.advanceTimersByTime(500)
    await settle()
    expect(client.callsOf('deliveries.count')).toHaveLength(1)
    expect(store.getState()).toMatchObject({ total: 1, matched: 1 })
  })

  it('loads the values for the filter menus on demand', async () => {
    client.facets = { eventTypes: ['push'], schemes: ['github'], codes: ['SIG_MISMATCH'], statuses: [200] }
    expect(store.getState().facets).toBeNull()
    await store.getState().loadFacets()
    expect(store.getState().facets).toEqual(client.facets)
  })

  it('opens on the filter and delivery of a link', async () => {
    store.getState().dispose()
    const wanted = make({ status: 'invalid' })
    client.deliveries = [wanted]
    store = createDeliveriesStore(client, {
      initialFilter: { q: '', endpointId: null, method: null, verdict: 'invalid' },
      initialSelectedId: wanted.id,
      now: () => NOW
    })
    expect(store.getState().selectedId).toBe(wanted.id)
    await store.getState().reload()
    expect(client.callsOf('deliveries.list').at(-1)).toMatchObject({ verdict: 'invalid' })
  })
})

describe('deliveries store: totals', () => {
  it('follows live additions and a clear without asking the engine', async () => {
    client.deliveries = [make({})]
    await store.getState().reload()
    expect(store.getState()).toMatchObject({ total: 1, matched: 1 })
    client.capture(make({}))
    client.capture(make({}))
    vi.advanceTimersByTime(50)
    expect(store.getState()).toMatchObject({ total: 3, matched: 3 })
    client.broadcast({ type: 'deliveries.cleared', endpointId: null })
    expect(store.getState()).toMatchObject({ total: 0, matched: 0 })
    expect(client.callsOf('deliveries.count')).toHaveLength(0)
  })
})

describe('deliveries store: pause', () => {
  it('holds new deliveries while paused and shows them on resume', async () => {
    const first = make({})
    client.deliveries = [first]
    await store.getState().reload()
    store.getState().setPaused(true)
    const later = [make({}), make({})]
    for (const delivery of later) client.capture(delivery)
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([first.id])
    expect(store.getState()).toMatchObject({ paused: true, held: 2, total: 3 })

    store.getState().setPaused(false)
    expect(ids()).toEqual([later[1]!.id, later[0]!.id, first.id])
    expect(store.getState()).toMatchObject({ paused: false, held: 0 })
  })

  it('reloads on resume when more arrived than it keeps', async () => {
    await store.getState().reload()
    store.getState().setPaused(true)
    for (let i = 0; i < 6; i++) client.capture(make({}))
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([])
    const calls = client.callsOf('deliveries.list').length
    store.getState().setPaused(false)
    await settle()
    expect(client.callsOf('deliveries.list')).toHaveLength(calls + 1)
    expect(ids()).toHaveLength(3)
  })

  it('still removes and updates rows while paused', async () => {
    const rows = [make({}), make({})]
    client.deliveries = [...rows]
    await store.getState().reload()
    store.getState().setPaused(true)
    client.broadcast({ type: 'deliveries.removed', ids: [rows[0]!.id] })
    vi.advanceTimersByTime(50)
    expect(ids()).toEqual([rows[1]!.id])
  })
})

describe('deliveries store: deleting the selected delivery', () => {
  it('moves the selection to the next row, or to the previous one at the end', async () => {
    const made = [make({}), make({}), make({})]
    client.deliveries = [...made]
    await store.getState().reload()
    store.getState().select(made[1]!.id)
    await store.getState().remove(made[1]!.id)
    expect(store.getState().selectedId).toBe(made[2]!.id)
    await store.getState().remove(made[2]!.id)
    expect(store.getState().selectedId).toBe(made[0]!.id)
    await store.getState().remove(made[0]!.id)
    expect(store.getState().selectedId).toBeNull()
  })

  it('leaves the selection alone when another row is deleted', async () => {
    const made = [make({}), make({})]
    client.deliveries = [...made]
    await store.getState().reload()
    store.getState().select(made[0]!.id)
    await store.getState().remove(made[1]!.id)
    expect(store.getState().selectedId).toBe(made[0]!.id)
    expect(summaryOf(made[0]!).id).toBe(made[0]!.id)
  })
})

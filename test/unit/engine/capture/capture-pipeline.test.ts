import { describe, expect, it } from 'vitest'
import { CapturePipeline } from '../../../../electron/engine/capture/capture-pipeline'
import type { IncomingRequest, OutgoingResponse } from '../../../../electron/engine/capture/capture-types'
import { type CaptureStore, StoreWriteError, type WriteOptions } from '../../../../electron/engine/capture/writer/capture-store'
import type { WriteInput, WriteOpKind } from '../../../../electron/engine/capture/writer/write-ops'
import { silentLogger } from '../../../../electron/engine/logger'
import type { AttemptRecord } from '../../../../electron/engine/relay/attempt-record'
import type { MatchedRule, RelayHook } from '../../../../electron/engine/relay/relay-hook'
import type { EngineEvent } from '../../../../shared/api/contract'
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_RESPONSE, DEFAULT_TLS, type EndpointConfig } from '../../../../shared/model/endpoint'
import type { StoreHealthState } from '../../../../shared/model/store-health'

/** The pipeline's order of things, with the store and the relay played by test doubles. */

type Written = { kind: WriteOpKind; input: unknown; options?: WriteOptions }

class FakeStore implements Pick<CaptureStore, 'write'> {
  readonly written: Written[] = []
  failWith: Error | null = null
  /** Inserts wait for this (to see what happens before a delivery is stored). */
  gate: Promise<void> = Promise.resolve()
  /** Inserts answer that the delivery is a repeat of this stored copy (a tunnelled delivery sent again). */
  repeatOf: { id: string; responseStatus: number } | null = null

  async write<K extends WriteOpKind>(kind: K, input: WriteInput<K>, options?: WriteOptions): Promise<never> {
    this.written.push({ kind, input, options })
    await this.gate
    if (this.failWith) throw this.failWith
    if (kind === 'delivery.insert' && this.repeatOf) return { repeatOf: this.repeatOf } as never
    if (kind === 'delivery.insert') return { verdict: { status: 'unchecked', scheme: null, code: 'NO_SCHEME' }, eventType: 'order.created' } as never
    if (kind === 'delivery.respond') return { id: (input as { id: string }).id, responseStatus: 202 } as never
    return null as never
  }
}

const endpoint: EndpointConfig = {
  id: 'ep',
  name: 'Endpoint',
  host: '127.0.0.1',
  port: 0,
  enabled: true,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  response: DEFAULT_RESPONSE,
  tls: DEFAULT_TLS
}

function request(overrides: Partial<IncomingRequest> = {}): IncomingRequest {
  return {
    endpointId: 'ep',
    receivedAt: 1_700_000_000_000,
    durationMs: 1,
    method: 'POST',
    url: '/hook',
    httpVersion: '1.1',
    headers: [
      ['Host', 'example.test'],
      ['Content-Type', 'application/json']
    ],
    body: Buffer.from('{"a":1}'),
    bodySize: 7,
    truncated: false,
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    tls: null,
    source: { kind: 'listener' },
    ...overrides
  }
}

function setup(relay: RelayHook | null = null, health: StoreHealthState = 'ok', config: EndpointConfig = endpoint) {
  const store = new FakeStore()
  const events: EngineEvent[] = []
  const failures: unknown[] = []
  let successes = 0
  let n = 0
  const pipeline = new CapturePipeline({
    store,
    endpoint: (id) => (id === 'ep' ? config : undefined),
    relay,
    nextId: () => `id${++n}`,
    emit: (event) => events.push(event),
    clock: { now: () => 1_700_000_000_500 },
    logger: silentLogger,
    health: {
      reportWriteFailure: (error) => failures.push(error),
      reportWriteSuccess: () => successes++,
      current: () => ({ state: health, since: null, detail: '', failures: failures.length })
    }
  })
  return { pipeline, store, events, failures, successes: () => successes }
}

const text = (response: OutgoingResponse) => response.body.toString('utf8')

describe('the capture pipeline', () => {
  it('stores the delivery with the answer it then sends, announces it, and hands the body over to the store', async () => {
    const { pipeline, store, events } = setup()
    const response = await pipeline.handle(request())
    expect(response.status).toBe(200)
    expect(JSON.parse(text(response))).toEqual({ id: 'id1' })
    expect(store.written).toHaveLength(1)
    const [insert] = store.written
    expect(insert!.kind).toBe('delivery.insert')
    expect(insert!.options).toEqual({ transfer: true })
    const { delivery, checkedAt } = insert!.input as WriteInput<'delivery.insert'>
    expect(checkedAt).toBe(1_700_000_000_500)
    expect(delivery).toMatchObject({ id: 'id1', endpointId: 'ep', method: 'POST', trailers: [] })
    expect(delivery.response).toMatchObject({ status: 200, bodyTruncated: false })
    expect(delivery.response!.body.equals(response.body)).toBe(true)
    expect(events).toEqual([
      {
        type: 'delivery.added',
        delivery: expect.objectContaining({
          id: 'id1',
          contentType: 'application/json',
          responseStatus: 200,
          verdict: { status: 'unchecked', scheme: null, code: 'NO_SCHEME' },
          eventType: 'order.created',
          secure: false
        })
      }
    ])
  })

  it('announces nothing before the delivery is stored', async () => {
    const { pipeline, store, events } = setup()
    let open!: () => void
    store.gate = new Promise((resolve) => (open = resolve))
    const answered = pipeline.handle(request())
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.written).toHaveLength(1)
    expect(events).toEqual([])
    open()
    expect((await answered).status).toBe(200)
    expect(events).toHaveLength(1)
  })

  it('answers 503 with Retry-After when the store fails, reports it, and announces nothing', async () => {
    const { pipeline, store, events, failures } = setup()
    store.failWith = new StoreWriteError('SQLITE_FULL', 'database or disk is full')
    const response = await pipeline.handle(request())
    expect(response.status).toBe(503)
    expect(response.headers).toContainEqual(['Retry-After', '1'])
    // Said in so many words, for the tunnel: a queued delivery answered so stays on the relay.
    expect(response.notStored).toBe(true)
    expect(events).toEqual([])
    expect(failures).toEqual([store.failWith])
  })

  it('marks only the store’s failure as "not stored": an endpoint configured to answer 503 stores its deliveries', async () => {
    const failing = { ...endpoint, response: { ...DEFAULT_RESPONSE, failure: { percent: 100, status: 503, body: null } } }
    const { pipeline, store, events } = setup(null, 'ok', failing)
    const response = await pipeline.handle(request())
    expect(response.status).toBe(503)
    expect(response.notStored).toBeUndefined()
    expect(store.written.map((write) => write.kind)).toEqual(['delivery.insert'])
    expect(events.map((event) => event.type)).toEqual(['delivery.added'])
  })

  it('writes nothing more to a damaged store: 503 naming the reason, with a long Retry-After, counted as a failed write', async () => {
    const { pipeline, store, events, failures } = setup(null, 'damaged')
    const response = await pipeline.handle(request())
    expect(response.status).toBe(503)
    expect(JSON.parse(text(response))).toEqual({ error: 'store unavailable', reason: 'damaged' })
    expect(response.headers).toContainEqual(['Retry-After', '60'])
    expect(response.notStored).toBe(true)
    expect(store.written).toEqual([])
    expect(events).toEqual([])
    expect(failures).toEqual([expect.objectContaining({ code: 'STORE_DAMAGED' })])
  })

  it('tells the store health of each write, so a full disk that clears is reported as over', async () => {
    const { pipeline, store, failures, successes } = setup()
    store.failWith = new StoreWriteError('SQLITE_FULL', 'database or disk is full')
    await pipeline.handle(request())
    store.failWith = null
    await pipeline.handle(request())
    expect(failures).toHaveLength(1)
    expect(successes()).toBe(1)
  })

  it('answers 413 for a truncated body, and stores it so', async () => {
    const { pipeline, store } = setup()
    const response = await pipeline.handle(request({ truncated: true, bodySize: 99_999_999 }))
    expect(response.status).toBe(413)
    expect((store.written[0]!.input as WriteInput<'delivery.insert'>).delivery.response?.status).toBe(413)
  })

  it('records CONNECT and answers 405 (Hookscope is no proxy)', async () => {
    const { pipeline, store } = setup()
    const response = await pipeline.handle(request({ method: 'CONNECT', url: 'example.test:443', body: Buffer.alloc(0), bodySize: 0 }))
    expect(response.status).toBe(405)
    expect(response.headers.find(([name]) => name === 'Allow')?.[1]).toContain('POST')
    expect((store.written[0]!.input as WriteInput<'delivery.insert'>).delivery).toMatchObject({ method: 'CONNECT', url: 'example.test:443' })
  })

  it('still answers a delivery whose endpoint was deleted meanwhile', async () => {
    const { pipeline } = setup()
    const response = await pipeline.handle(request({ endpointId: 'gone' }))
    expect(response.status).toBe(200)
  })
})

describe('the pipeline and the relay hook', () => {
  function relay(mode: MatchedRule['mode'], overrides: Partial<RelayHook> = {}) {
    const calls: string[] = []
    let stored: Promise<void> | null = null
    const hook: RelayHook = {
      // A rule reduced to what the pipeline reads of it.
      match: () => ({ mode }) as MatchedRule,
      passthrough: async (id, _request, _rule, whenStored) => {
        calls.push(`passthrough ${id}`)
        stored = whenStored
        return { status: 202, headers: [['X-Target', 'yes']], body: Buffer.from('from the target') }
      },
      // An attempt reduced to what the pipeline does with it (hands it over).
      firstAttempt: (id) => ({ id: `attempt of ${id}`, deliveryId: id, state: 'scheduled' }) as AttemptRecord,
      afterStored: (id, _request, _rule, first) => void calls.push(`afterStored ${id} ${first.id}`),
      ...overrides
    }
    return { hook, calls, stored: () => stored }
  }

  it('ack-first: stores the delivery with its first attempt in one op (without handing the body over), answers, and tells the relay once stored', async () => {
    const { hook, calls } = relay('ack-first')
    const { pipeline, store, events } = setup(hook)
    const response = await pipeline.handle(request())
    expect(response.status).toBe(200)
    expect(store.written.map((write) => write.kind)).toEqual(['delivery.insert'])
    expect(store.written[0]!.options).toEqual({ transfer: false })
    expect((store.written[0]!.input as WriteInput<'delivery.insert'>).relayAttempt).toEqual({ id: 'attempt of id1', deliveryId: 'id1', state: 'scheduled' })
    expect(calls).toEqual(['afterStored id1 attempt of id1'])
    expect(events.map((event) => event.type)).toEqual(['delivery.added'])
  })

  it('passthrough: the sender gets the target answer, which is then recorded with the delivery', async () => {
    const { hook, calls, stored } = relay('passthrough')
    const { pipeline, store, events } = setup(hook)
    const response = await pipeline.handle(request())
    expect(response).toEqual({ status: 202, headers: [['X-Target', 'yes']], body: Buffer.from('from the target') })
    expect(calls).toEqual(['passthrough id1'])
    await expect(stored()).resolves.toBeUndefined()
    // Stored before the target answered: no recorded answer yet, status 0 until it is known.
    const insert = store.written[0]!.input as WriteInput<'delivery.insert'>
    expect(insert.delivery.response).toBeNull()
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.written.map((write) => write.kind)).toEqual(['delivery.insert', 'delivery.respond'])
    const respond = store.written[1]!.input as WriteInput<'delivery.respond'>
    expect(respond).toMatchObject({ id: 'id1', response: { status: 202, headers: [['X-Target', 'yes']], bodyTruncated: false } })
    expect(events.map((event) => event.type)).toEqual(['delivery.added', 'delivery.updated'])
    expect(events[0]).toMatchObject({ delivery: { responseStatus: 0 } })
  })

  it('passthrough: a failed store rejects `stored` for the relay, and nothing is recorded after', async () => {
    const { hook, stored } = relay('passthrough')
    const { pipeline, store } = setup(hook)
    store.failWith = new StoreWriteError('SQLITE_FULL', 'full')
    const response = await pipeline.handle(request())
    expect(response.status).toBe(202)
    await expect(stored()).rejects.toMatchObject({ code: 'SQLITE_FULL' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.written.map((write) => write.kind)).toEqual(['delivery.insert'])
  })

  it('a relay that throws never costs the delivery its capture or its answer', async () => {
    const matchFails = relay('ack-first', {
      match: () => {
        throw new Error('bad rule')
      }
    })
    const first = setup(matchFails.hook)
    expect((await first.pipeline.handle(request())).status).toBe(200)
    expect(first.store.written[0]!.options).toEqual({ transfer: true })

    const scheduleFails = relay('ack-first', {
      afterStored: () => {
        throw new Error('queue full')
      }
    })
    const second = setup(scheduleFails.hook)
    expect((await second.pipeline.handle(request())).status).toBe(200)
    expect(second.events.map((event) => event.type)).toEqual(['delivery.added'])

    const firstAttemptFails = relay('ack-first', {
      firstAttempt: () => {
        throw new Error('no attempt')
      }
    })
    const third = setup(firstAttemptFails.hook)
    expect((await third.pipeline.handle(request())).status).toBe(200)
    // Nothing will forward it, so its body may be handed over, and the relay hears nothing more.
    expect(third.store.written[0]!.options).toEqual({ transfer: true })
    expect((third.store.written[0]!.input as WriteInput<'delivery.insert'>).relayAttempt).toBeUndefined()
    expect(firstAttemptFails.calls).toEqual([])
  })
})

describe('a tunnelled delivery the relay sent again', () => {
  const tunnelled = () =>
    request({ source: { kind: 'tunnel', provider: 'hookscope', publicUrl: 'https://relay.test/c/x', reserialized: false, deliveryId: 'relay-1' } })

  function passthroughHook(calls: string[], mode: MatchedRule['mode'] = 'passthrough'): RelayHook {
    return {
      match: () => ({ mode }) as MatchedRule,
      passthrough: async (id) => {
        calls.push(`passthrough ${id}`)
        return { status: 202, headers: [], body: Buffer.from('from the target') }
      },
      firstAttempt: (id) => ({ id: `attempt of ${id}`, deliveryId: id, state: 'scheduled' }) as AttemptRecord,
      afterStored: (id) => void calls.push(`afterStored ${id}`)
    }
  }

  it('gets the stored status and {"id":…,"repeated":true}, and is not announced', async () => {
    const { pipeline, store, events, successes } = setup()
    store.repeatOf = { id: 'first', responseStatus: 201 }
    const response = await pipeline.handle(tunnelled())
    expect(response).toEqual({ status: 201, headers: [['Content-Type', 'application/json']], body: Buffer.from('{"id":"first","repeated":true}') })
    expect(events).toEqual([])
    // The write itself went well.
    expect(successes()).toBe(1)
  })

  it('whose first copy has no recorded answer (status 0) is answered 202, a status the relay accepts', async () => {
    const { pipeline, store } = setup()
    store.repeatOf = { id: 'first', responseStatus: 0 }
    const response = await pipeline.handle(tunnelled())
    expect(response.status).toBe(202)
    expect(JSON.parse(text(response))).toEqual({ id: 'first', repeated: true })
  })

  it('ack-first: is not relayed again', async () => {
    const calls: string[] = []
    const { pipeline, store, events } = setup(passthroughHook(calls, 'ack-first'))
    store.repeatOf = { id: 'first', responseStatus: 200 }
    expect(JSON.parse(text(await pipeline.handle(tunnelled())))).toEqual({ id: 'first', repeated: true })
    expect(calls).toEqual([])
    expect(events).toEqual([])
  })

  it('passthrough: reaches the target only once the store has said it is no repeat, and never when it is one', async () => {
    const calls: string[] = []
    const { pipeline, store, events } = setup(passthroughHook(calls))
    let open!: () => void
    store.gate = new Promise((resolve) => (open = resolve))
    const answered = pipeline.handle(tunnelled())
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.written.map((write) => write.kind)).toEqual(['delivery.insert'])
    expect(calls).toEqual([])
    open()
    expect(text(await answered)).toBe('from the target')
    expect(calls).toEqual(['passthrough id1'])
    await new Promise((resolve) => setImmediate(resolve))
    expect(events.map((event) => event.type)).toEqual(['delivery.added', 'delivery.updated'])

    store.repeatOf = { id: 'id1', responseStatus: 202 }
    const repeat = await pipeline.handle(tunnelled())
    expect(JSON.parse(text(repeat))).toEqual({ id: 'id1', repeated: true })
    expect(calls).toEqual(['passthrough id1'])
    // Neither announced nor its answer recorded: the first copy keeps its own.
    await new Promise((resolve) => setImmediate(resolve))
    expect(store.written.filter((write) => write.kind === 'delivery.respond')).toHaveLength(1)
    expect(events.map((event) => event.type)).toEqual(['delivery.added', 'delivery.updated'])
  })

  it('passthrough from a local listener still reaches the target in parallel with the store', async () => {
    const calls: string[] = []
    const { pipeline, store } = setup(passthroughHook(calls))
    let open!: () => void
    store.gate = new Promise((resolve) => (open = resolve))
    const answered = pipeline.handle(request())
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toEqual(['passthrough id1'])
    open()
    await answered
  })
})

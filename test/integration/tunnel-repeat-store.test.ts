import { afterEach, describe, expect, it } from 'vitest'
import { CapturePipeline } from '../../electron/engine/capture/capture-pipeline'
import type { OutgoingResponse } from '../../electron/engine/capture/capture-types'
import { createInProcessStore } from '../../electron/engine/capture/writer/in-process-store'
import { silentLogger } from '../../electron/engine/logger'
import { openDatabase } from '../../electron/engine/store/open-database'
import type { EngineEvent } from '../../shared/api/contract'
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_RESPONSE, DEFAULT_TLS } from '../../shared/model/endpoint'
import { cleanupList, FakeIngress, httpRequest, startLink, startTestRelay } from '../helpers/relay'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * A delivery the relay sends again to a client that did not know it (the process that captured it
 * died before its answer reached the relay), over real sockets, through the real capture pipeline
 * and writer on a SQLite file: the store recognises it, one row, and the relay is answered
 * `{"id":<first>,"repeated":true}` with the first copy's status.
 */
const cleanups = cleanupList()
afterEach(async () => {
  await cleanups.run()
})

function capture(dataDir: string) {
  const store = createInProcessStore(
    { dataDir, durability: 'crash', retention: { maxDeliveries: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER } },
    silentLogger,
    () => undefined
  )
  cleanups.add(() => store.close())
  const events: EngineEvent[] = []
  let n = 0
  const pipeline = new CapturePipeline({
    store,
    endpoint: (id) => ({
      id,
      name: id,
      host: '127.0.0.1',
      port: 0,
      enabled: true,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      response: { ...DEFAULT_RESPONSE, status: 201 },
      tls: DEFAULT_TLS
    }),
    relay: null,
    nextId: () => `d${++n}`,
    emit: (event) => events.push(event),
    clock: { now: () => Date.now() },
    logger: silentLogger,
    health: {
      reportWriteFailure: () => undefined,
      reportWriteSuccess: () => undefined,
      current: () => ({ state: 'ok' as const, since: null, detail: '', failures: 0 })
    }
  })
  return { pipeline, events }
}

describe('a tunnelled delivery sent again after the capturing process died', () => {
  it('is recognised by the store: stored once, announced once, the relay answered with the first id and status', async () => {
    const dir = makeTempDir()
    cleanups.add(async () => dir.remove())
    const server = await startTestRelay()
    cleanups.add(() => server.stop())
    const channel = await server.createChannel()
    const { pipeline, events } = capture(dir.path)

    // The first copy is stored, but its answer never leaves: the process "dies" (its link stops).
    const answers: OutgoingResponse[] = []
    let firstStored!: () => void
    const stored = new Promise<void>((resolve) => (firstStored = resolve))
    let release!: () => void
    const never = new Promise<void>((resolve) => (release = resolve))
    cleanups.add(async () => release())
    const ingress = new FakeIngress(async (request) => {
      const response = await pipeline.handle(request)
      answers.push(response)
      if (answers.length > 1) return response
      firstStored()
      await never
      return response
    })
    const first = startLink(channel, ingress)
    cleanups.add(() => first.link.stop())
    await first.waitForHealth((state) => state.status === 'connected')
    const sender = httpRequest(`${channel.url}/hook`, { body: Buffer.from('{"n":1}') })
    await stored
    await first.link.stop()
    // The relay keeps it queued (not acknowledged) and tells its sender so.
    expect((await sender).status).toBe(202)

    // A new process: a new link, nothing in memory about the first copy.
    const second = startLink(channel, ingress)
    cleanups.add(() => second.link.stop())
    await second.waitForHealth((state) => state.queue.drainedAt !== null)

    const [original, repeat] = ingress.received
    expect(repeat!.source).toMatchObject({ kind: 'tunnel', deliveryId: (original!.source as { deliveryId: string }).deliveryId })
    expect(answers[0]!.status).toBe(201)
    expect(answers[1]).toEqual({
      status: 201,
      headers: [['Content-Type', 'application/json']],
      body: Buffer.from('{"id":"d1","repeated":true}')
    })
    expect(events.map((event) => (event.type === 'delivery.added' ? event.delivery.id : event.type))).toEqual(['d1'])
    const db = openDatabase(dir.path)
    try {
      expect(db.prepare('SELECT id FROM deliveries').all()).toEqual([{ id: 'd1' }])
    } finally {
      db.close()
    }
  })
})

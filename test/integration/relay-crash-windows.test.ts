import { describe, expect, it } from 'vitest'
import { CapturePipeline } from '../../electron/engine/capture/capture-pipeline'
import type { CaptureStore } from '../../electron/engine/capture/writer/capture-store'
import { createInProcessStore } from '../../electron/engine/capture/writer/in-process-store'
import type { WriteOp } from '../../electron/engine/capture/writer/write-ops'
import { createIdGenerator } from '../../electron/engine/ids'
import { silentLogger } from '../../electron/engine/logger'
import { QueuedAttemptsStore } from '../../electron/engine/relay/queued-attempts-store'
import type { EngineEvent } from '../../shared/api/contract'
import { fakeTime } from '../helpers/fake-time'
import { incomingRequest, type RelayHarness, relayTestKit, startRelayHarness } from '../helpers/relay-harness'
import { answer } from '../helpers/relay-targets'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * The crash windows of ack-first relaying, each hit exactly: the first process runs the real
 * capture pipeline and the real writer (write ops, batches, transactions) on a SQLite file, and
 * "dies" the moment a chosen write has committed: nothing it writes after that reaches the file and
 * nothing it waits for answers (as after a SIGKILL). A second process opens the file and starts the
 * relay. What was acknowledged is forwarded; what was retrying goes on retrying.
 */

const { harness, target, cleanup } = relayTestKit()

const attemptOf = (event: EngineEvent) => (event.type === 'attempt.added' || event.type === 'attempt.updated' ? event.attempt : null)

/** A writer that stops for good once a write matching `diesAfter` has committed. */
function dyingWriter(store: CaptureStore, diesAfter: (op: WriteOp) => boolean): Pick<CaptureStore, 'write'> & { dead(): boolean } {
  let dead = false
  return {
    dead: () => dead,
    write(kind, input, options) {
      // The process is gone: the write never reaches the file and its caller never hears back.
      if (dead) return new Promise(() => undefined)
      const written = store.write(kind, input, options)
      if (!diesAfter({ kind, input } as WriteOp)) return written
      // Before anyone awaiting this write goes on (the sender's answer, the relay's next step).
      return written.then((value) => {
        dead = true
        return value
      })
    }
  }
}

/** The first process: pipeline → relay, both writing through the dying writer. */
function firstProcess(dataDir: string, time: ReturnType<typeof fakeTime>, targetUrl: string, diesAfter: (op: WriteOp) => boolean) {
  const writerStore = createInProcessStore(
    { dataDir, durability: 'crash', retention: { maxDeliveries: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER } },
    silentLogger,
    () => undefined
  )
  const writer = dyingWriter(writerStore, diesAfter)
  const health = {
    reportWriteFailure: () => undefined,
    reportWriteSuccess: () => undefined,
    current: () => ({ state: 'ok' as const, since: null, detail: '', failures: 0 })
  }
  const relayHarness: RelayHarness = startRelayHarness({
    dataDir,
    clock: time.clock,
    timers: time.timers,
    store: (_db, reader) => new QueuedAttemptsStore({ writer, reader, health, logger: silentLogger })
  })
  relayHarness.relay.rules.set('default', [{ target: targetUrl, mode: 'ack-first', retry: 'fast' }])
  const pipeline = new CapturePipeline({
    store: writer,
    endpoint: () => undefined,
    relay: relayHarness.relay,
    nextId: createIdGenerator(time.clock.now),
    emit: (event) => relayHarness.relay.onEvent(event),
    clock: time.clock,
    logger: silentLogger,
    health
  })
  return {
    pipeline,
    writer,
    relay: relayHarness.relay,
    /** What is left of a dead process to clean up: its connections and timers (its relay never finishes stopping). */
    async bury() {
      relayHarness.relay.scheduler.stop()
      await writerStore.close()
      relayHarness.db.close()
    }
  }
}

async function deliveryIdOf(second: RelayHarness): Promise<string> {
  const [delivery] = second.deliveries.list({ limit: 10 }).items
  if (!delivery) throw new Error('the delivery was not stored')
  return delivery.id
}

describe('ack-first relaying across a crash (each window hit exactly)', () => {
  it('killed right after the delivery was stored and acknowledged, before any other write: the next start forwards it, once', async () => {
    const dir = makeTempDir()
    cleanup.push(() => dir.remove())
    const time = fakeTime()
    const app = await target(answer(200, 'ok'))
    const first = firstProcess(dir.path, time, app.url, (op) => op.kind === 'delivery.insert')
    const response = await first.pipeline.handle(incomingRequest({ url: '/acked' }))
    expect(response.status).toBe(200)
    expect(first.writer.dead()).toBe(true)
    // Its relay never got its in-flight row written, so it never sent anything.
    await first.bury()
    expect(app.requests).toHaveLength(0)

    const second = harness({ dataDir: dir.path, clock: time.clock, timers: time.timers })
    const deliveryId = await deliveryIdOf(second)
    expect(second.attempts.list({ deliveryId }).items.map((a) => [a.number, a.state])).toEqual([[1, 'scheduled']])
    await second.relay.start()
    // Due since it was acknowledged: at once.
    expect(time.dueTimes()).toEqual([time.now])
    time.fireNext()
    await second.waitForEvent((event) => attemptOf(event)?.state === 'succeeded')
    expect(app.requests.map((request) => request.url)).toEqual(['/acked'])
    expect(second.attempts.list({ deliveryId }).items.map((a) => [a.number, a.state, a.status])).toEqual([[1, 'succeeded', 200]])
    // Nothing more is due: these counts are final.
    expect(time.dueTimes()).toEqual([])
  })

  it('killed right after a failed attempt was stored: its retry was stored with it, and the next start sends it', async () => {
    const dir = makeTempDir()
    cleanup.push(() => dir.remove())
    const time = fakeTime()
    const statuses = [500, 200]
    const app = await target((_req, res) => {
      res.writeHead(statuses.shift() ?? 200)
      res.end()
    })
    const first = firstProcess(dir.path, time, app.url, (op) => op.kind === 'attempt.save' && op.input.record.state === 'failed')
    expect((await first.pipeline.handle(incomingRequest({ url: '/retried' }))).status).toBe(200)
    await app.waitForRequests(1)
    // Bounded: the outcome's write settles once the target's answer is in.
    for (let turn = 0; turn < 1000 && !first.writer.dead(); turn++) await new Promise((resolve) => setImmediate(resolve))
    expect(first.writer.dead()).toBe(true)
    await first.bury()

    const second = harness({ dataDir: dir.path, clock: time.clock, timers: time.timers })
    const deliveryId = await deliveryIdOf(second)
    const stored = second.attempts.list({ deliveryId }).items.reverse()
    expect(stored.map((a) => [a.number, a.state, a.status])).toEqual([
      [1, 'failed', 500],
      [2, 'scheduled', null]
    ])
    await second.relay.start()
    // On the fast schedule: one second after the failure.
    expect(time.dueTimes()).toEqual([stored[1]!.dueAt])
    expect(stored[1]!.dueAt! - stored[0]!.finishedAt!).toBe(1000)
    time.fireNext()
    await second.waitForEvent((event) => attemptOf(event)?.state === 'succeeded')
    expect(time.dueTimes()).toEqual([])
    expect(app.requests).toHaveLength(2)
    expect(
      second.attempts
        .list({ deliveryId })
        .items.reverse()
        .map((a) => [a.number, a.state, a.status])
    ).toEqual([
      [1, 'failed', 500],
      [2, 'succeeded', 200]
    ])
  })
})

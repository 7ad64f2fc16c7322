import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StoreWriteError } from '../../electron/engine/capture/writer/capture-store'
import { WorkerStore } from '../../electron/engine/capture/writer/worker-store'
import type { WriterEvent } from '../../electron/engine/capture/writer/write-loop'
import { silentLogger } from '../../electron/engine/logger'
import type { AttemptRecord } from '../../electron/engine/relay/attempt-record'
import { AttemptsRepo } from '../../electron/engine/relay/attempts-repo'
import { DeliveriesReader } from '../../electron/engine/store/deliveries-reader'
import { openDatabase, type SqliteDatabase } from '../../electron/engine/store/open-database'
import { makeDelivery } from '../helpers/delivery-records'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * The capture worker for real: a thread, its own connection, bodies moved or copied across, and
 * what happens when the thread dies. The API's connection reads what the worker wrote.
 */

let dir: ReturnType<typeof makeTempDir>
let db: SqliteDatabase
let store: WorkerStore | undefined

beforeEach(() => {
  dir = makeTempDir()
  db = openDatabase(dir.path) // migrates, as the engine's own connection does before the worker starts
})
afterEach(async () => {
  await store?.close()
  store = undefined
  db.close()
  dir.remove()
})

function start(events: WriterEvent[] = []): WorkerStore {
  store = new WorkerStore({ dataDir: dir.path, durability: 'crash', retention: { maxDeliveries: 1000, maxBytes: 1024 * 1024 * 1024 } }, silentLogger, (event) =>
    events.push(event)
  )
  return store
}

function insert(worker: WorkerStore, overrides: Parameters<typeof makeDelivery>[0], transfer: boolean) {
  const { verdict: _verdict, ...delivery } = makeDelivery(overrides)
  return worker.write('delivery.insert', { delivery, checkedAt: Date.now() }, { transfer })
}

describe('the capture worker', () => {
  it('stores what it is sent; large bodies move to the worker when allowed, and are copied otherwise', async () => {
    const worker = start()
    await worker.ready
    const moved = Buffer.alloc(256 * 1024, 1)
    const kept = Buffer.alloc(256 * 1024, 2)
    const small = Buffer.from('small body')
    const results = await Promise.all([
      insert(worker, { id: 'moved', body: moved, bodySize: moved.length }, true),
      insert(worker, { id: 'kept', body: kept, bodySize: kept.length }, false),
      insert(worker, { id: 'small', body: small, bodySize: small.length }, true)
    ])
    expect(results).toEqual([{ verdict: expect.objectContaining({ status: 'unchecked' }), eventType: null }, expect.anything(), expect.anything()])
    // Transferred: the sender's buffer is gone (detached), not copied.
    expect(moved.length).toBe(0)
    expect(kept.length).toBe(256 * 1024)
    expect(small.toString()).toBe('small body')

    const reader = new DeliveriesReader(db)
    expect(reader.get('moved')!.body.equals(Buffer.alloc(256 * 1024, 1))).toBe(true)
    expect(reader.get('kept')!.body.equals(kept)).toBe(true)
    expect(reader.get('small')!.body.toString()).toBe('small body')
  })

  it('stores attempt bodies that are slices of larger buffers (a target’s answer) byte-exact, packed with the batch', async () => {
    const worker = start()
    await worker.ready
    await insert(worker, { id: 'delivered' }, false)
    // As an HTTP client hands them out: small answers that are views into one larger read buffer.
    const pool = Buffer.alloc(64 * 1024, 0x2e)
    pool.write('{"ok":true}', 100)
    pool.write('{"retry":false}', 30_000)
    const attempt = (id: string, responseBody: Buffer, requestBody: Buffer | null): AttemptRecord => ({
      id,
      deliveryId: 'delivered',
      endpointId: 'default',
      kind: 'relay',
      mode: 'passthrough',
      ruleId: null,
      batchId: null,
      number: 1,
      state: 'succeeded',
      dueAt: null,
      startedAt: 1,
      finishedAt: 2,
      method: 'POST',
      target: 'http://127.0.0.1:3000/hook',
      requestHeaders: [['Content-Type', 'application/json']],
      requestBody,
      requestBodySize: requestBody?.length ?? 0,
      responseStatus: 200,
      responseHeaders: [['Content-Length', String(responseBody.length)]],
      responseBody,
      responseBodySize: responseBody.length,
      responseTruncated: false,
      durationMs: 1,
      error: null,
      resignedWith: null,
      edited: false,
      verdict: null,
      notes: []
    })
    const first = pool.subarray(100, 111)
    const second = pool.subarray(30_000, 30_015)
    // One batch: an attempt alone, and one stored with the retry it schedules (a third slice).
    await Promise.all([
      worker.write('attempt.save', { record: attempt('a1', first, null), next: null }),
      worker.write('attempt.save', { record: attempt('a2', second, pool.subarray(0, 3)), next: attempt('a3', pool.subarray(100, 104), null) })
    ])
    const attempts = new AttemptsRepo(db)
    expect(attempts.get('a1')!.responseBody!.toString()).toBe('{"ok":true}')
    expect(attempts.get('a1')!.requestBody).toBeNull()
    expect(attempts.get('a2')!.responseBody!.toString()).toBe('{"retry":false}')
    expect(attempts.get('a2')!.requestBody!.equals(Buffer.alloc(3, 0x2e))).toBe(true)
    expect(attempts.get('a3')!.responseBody!.toString()).toBe('{"ok')
    // Copied, not moved: the caller's buffer is untouched.
    expect(pool.length).toBe(64 * 1024)
  })

  it('reports a store it cannot open as an EngineError, before anything is written', async () => {
    db.exec(`PRAGMA user_version = 999`)
    const worker = start()
    await expect(worker.ready).rejects.toMatchObject({ code: 'STORE_TOO_NEW' })
    await expect(insert(worker, {}, false)).rejects.toBeInstanceOf(StoreWriteError)
  })

  it('answers what a dead worker held as failed, and a new worker takes over', async () => {
    const worker = start()
    await worker.ready
    expect(await insert(worker, { id: 'before' }, false)).toBeTruthy()
    // Kill the thread with a write on its way: it settles either way (stored, or failed with a
    // code the pipeline answers 503 for), never left hanging.
    const pending = insert(worker, { id: 'in-flight' }, false)
    await new Promise((resolve) => setImmediate(resolve))
    await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate()
    const [settled] = await Promise.allSettled([pending])
    if (settled!.status === 'rejected') expect(settled!.reason).toMatchObject({ code: 'STORE_WORKER_EXITED' })
    // The replacement boots on its own; writes queued meanwhile wait for it.
    expect(await insert(worker, { id: 'after' }, false)).toBeTruthy()
    const reader = new DeliveriesReader(db)
    expect(reader.get('before')).toBeDefined()
    expect(reader.get('after')).toBeDefined()
  })
})

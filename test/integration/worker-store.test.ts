import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StoreWriteError } from '../../electron/engine/capture/writer/capture-store'
import { WorkerStore } from '../../electron/engine/capture/writer/worker-store'
import type { WriterEvent } from '../../electron/engine/capture/writer/write-loop'
import { silentLogger } from '../../electron/engine/logger'
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

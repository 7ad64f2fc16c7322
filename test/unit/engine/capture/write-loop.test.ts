import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { EVICT_STEP_ROWS, WriteExecutor, type WriteResult } from '../../../../electron/engine/capture/writer/write-executor'
import { WriteLoop, type WriterEvent } from '../../../../electron/engine/capture/writer/write-loop'
import type { WriteOp } from '../../../../electron/engine/capture/writer/write-ops'
import { silentLogger } from '../../../../electron/engine/logger'
import { BodyFiles } from '../../../../electron/engine/store/body-files'
import { DeliveriesReader } from '../../../../electron/engine/store/deliveries-reader'
import { createDeliveryVerifier } from '../../../../electron/engine/verify/delivery-verifier'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { deliveriesOn, makeDelivery } from '../../../helpers/delivery-records'
import { tempDatabasePerTest } from '../../../helpers/temp-database'
import { makeKey } from '../../../helpers/verify-fixtures'

/** Group commit, per-op isolation, replay detection, retention and re-checks, on a real SQLite file. */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

const temp = tempDatabasePerTest()

function writer(options: { retention?: { maxDeliveries: number; maxBytes: number }; durable?: () => Promise<void> | null } = {}) {
  const commits: number[] = []
  const events: WriterEvent[] = []
  const executor = new WriteExecutor(temp.db, {
    verifier: createDeliveryVerifier({ schemes: allSchemes, logger: silentLogger }),
    durability: {
      afterCommit: () => {
        commits.push(temp.db.prepare('SELECT count(*) AS n FROM deliveries').get() as never)
        return options.durable?.() ?? null
      },
      synced: async () => undefined,
      setLevel: () => undefined,
      close: async () => undefined
    },
    bodyFiles: BodyFiles.beside(temp.db),
    retention: options.retention ?? { maxDeliveries: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER },
    logger: silentLogger
  })
  const loop = new WriteLoop(executor, (event) => events.push(event))
  const write = (op: WriteOp) => new Promise<WriteResult>((resolve) => loop.submit([op], ([result]) => resolve(result!)))
  return { loop, write, commits, events, reader: new DeliveriesReader(temp.db) }
}

const insert = (overrides: Parameters<typeof makeDelivery>[0] = {}): WriteOp => {
  const { verdict: _verdict, ...delivery } = makeDelivery(overrides)
  return { kind: 'delivery.insert', input: { delivery, checkedAt: 1 } }
}

function signed(id: string, body: string, at: Date) {
  const signature = new Webhook(SECRET).sign(id, at, body)
  return [
    ['Host', 'hooks.example.test'],
    ['webhook-id', id],
    ['webhook-timestamp', String(Math.floor(at.getTime() / 1000))],
    ['webhook-signature', signature]
  ] as [string, string][]
}

describe('group commit', () => {
  it('writes everything submitted in one turn of the event loop in one transaction', async () => {
    const { write, commits, reader } = writer()
    const results = await Promise.all(Array.from({ length: 50 }, () => write(insert())))
    expect(results.every((result) => result.ok)).toBe(true)
    expect(commits).toHaveLength(1)
    expect(reader.list({ limit: 1000 }).items).toHaveLength(50)
  })

  it('gathers what arrives while a batch waits for the disk into the next batch', async () => {
    let release!: () => void
    const disk = new Promise<void>((resolve) => (release = resolve))
    let first = true
    const { write, commits } = writer({
      durable: () => {
        if (!first) return null
        first = false
        return disk
      }
    })
    const early = write(insert())
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    expect(commits).toHaveLength(1)
    const later = Array.from({ length: 10 }, () => write(insert()))
    await new Promise((resolve) => setImmediate(resolve))
    // Still one commit: the first batch is waiting for its fsync, the ten are queued behind it.
    expect(commits).toHaveLength(1)
    release()
    expect((await early).ok).toBe(true)
    expect((await Promise.all(later)).every((result) => result.ok)).toBe(true)
    expect(commits).toHaveLength(2)
  })

  it('fails one bad op alone; the rest of its batch is stored', async () => {
    const { write, reader } = writer()
    const results = await Promise.all([write(insert({ id: 'same' })), write(insert({ id: 'same' })), write(insert({ id: 'other' }))])
    expect(results.map((result) => result.ok)).toEqual([true, false, true])
    expect(results[1]).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^SQLITE_CONSTRAINT/) } })
    expect(
      reader
        .list({})
        .items.map((item) => item.id)
        .sort()
    ).toEqual(['other', 'same'])
  })

  it('applies a batch with a failed op again as it was: replay claims and retention counts are not doubled', async () => {
    const { loop, write, events, reader } = writer({ retention: { maxDeliveries: 3, maxBytes: Number.MAX_SAFE_INTEGER } })
    loop.setKeyring({ locked: false, keys: [makeKey('standard-webhooks', { secret: SECRET })] }, 0)
    const at = new Date()
    const headers = signed('msg_once', '{}', at)
    // The third op fails after the first two were applied: the batch is rolled back and applied again.
    const results = await Promise.all([
      write(insert({ id: 'first', headers, receivedAt: at.getTime() })),
      write(insert({ id: 'second', headers, receivedAt: at.getTime() })),
      write(insert({ id: 'first' })),
      write(insert({ id: 'third' })),
      write(insert({ id: 'fourth' }))
    ])
    expect(results.map((result) => result.ok)).toEqual([true, true, false, true, true])
    expect(results[0]).toMatchObject({ value: { verdict: { status: 'valid' } } })
    expect(results[1]).toMatchObject({ value: { verdict: { status: 'invalid', code: 'DUPLICATE_DELIVERY' } } })
    expect(reader.get('second')!.verdictDetail).toMatchObject({ duplicateOf: 'first' })
    // Four stored, limit three: exactly one evicted (counted twice, three would have gone).
    expect(events).toEqual([{ type: 'evicted', ids: ['first'] }])
    expect(reader.list({}).items.map((item) => item.id)).toEqual(['fourth', 'third', 'second'])
  })

  it('answers every op of a batch as failed when its durability wait fails', async () => {
    const { write } = writer({ durable: () => Promise.reject(Object.assign(new Error('I/O error'), { code: 'EIO' })) })
    const results = await Promise.all([write(insert()), write(insert())])
    expect(results).toEqual([
      { ok: false, error: { code: 'EIO', message: 'I/O error' } },
      { ok: false, error: { code: 'EIO', message: 'I/O error' } }
    ])
  })
})

describe('inside the batch transaction', () => {
  it('catches a replayed sender id, also when both copies share a batch', async () => {
    const { loop, write, reader } = writer()
    loop.setKeyring({ locked: false, keys: [makeKey('standard-webhooks', { secret: SECRET })] }, 0)
    const at = new Date()
    const headers = signed('msg_twice', '{}', at)
    const [a, b] = await Promise.all([
      write(insert({ id: 'first', headers, receivedAt: at.getTime() })),
      write(insert({ id: 'second', headers, receivedAt: at.getTime() }))
    ])
    expect(a).toMatchObject({ ok: true, value: { verdict: { status: 'valid' } } })
    expect(b).toMatchObject({ ok: true, value: { verdict: { status: 'invalid', code: 'DUPLICATE_DELIVERY' } } })
    expect(reader.get('second')!.verdictDetail).toMatchObject({ duplicateOf: 'first' })
  })

  it('evicts past the retention limits and says so before answering the batch', async () => {
    const { write, events, reader } = writer({ retention: { maxDeliveries: 3, maxBytes: Number.MAX_SAFE_INTEGER } })
    // One batch of five: when its answers come, the eviction has been announced already.
    const eventsSeenAtAnswer = await Promise.all([1, 2, 3, 4, 5].map((n) => write(insert({ id: `d${n}` })).then(() => events.length)))
    expect(eventsSeenAtAnswer).toEqual([1, 1, 1, 1, 1])
    expect(events).toEqual([{ type: 'evicted', ids: ['d1', 'd2'] }])
    expect(reader.list({}).items.map((item) => item.id)).toEqual(['d5', 'd4', 'd3'])
  })

  it('evicts a large excess in bounded steps: the batch waits for one, the rest follow between batches', async () => {
    const total = EVICT_STEP_ROWS * 2 + 30
    // Stored without limits first (as a store left by a larger limit, or one body worth thousands of rows).
    const first = writer()
    await Promise.all(Array.from({ length: total }, (_, n) => first.write(insert({ id: `old${n}` }))))
    await first.loop.drain()

    const { loop, write, events, reader } = writer({ retention: { maxDeliveries: 10, maxBytes: Number.MAX_SAFE_INTEGER } })
    const result = await write(insert({ id: 'new' }))
    expect(result.ok).toBe(true)
    // When the batch is answered, one step has run: no more.
    expect(events).toEqual([{ type: 'evicted', ids: Array.from({ length: EVICT_STEP_ROWS }, (_, n) => `old${n}`) }])
    // The loop goes on by itself, oldest first, in steps of at most EVICT_STEP_ROWS.
    await loop.drainRecheck()
    const removed = events.flatMap((event) => (event.type === 'evicted' ? event.ids : []))
    expect(events.every((event) => event.type === 'evicted' && event.ids.length <= EVICT_STEP_ROWS)).toBe(true)
    expect(removed).toEqual(Array.from({ length: total - 9 }, (_, n) => `old${n}`))
    expect(reader.list({}).items.map((item) => item.id)).toEqual(['new', ...Array.from({ length: 9 }, (_, n) => `old${total - 1 - n}`)])
  })
})

describe('re-checking after a key change', () => {
  it('turns the still-unchecked deliveries of the changed scheme green, with progress', async () => {
    const { loop, write, events, reader } = writer()
    loop.setKeyring({ locked: false, keys: [] }, 0)
    const at = new Date()
    const ids = ['a', 'b', 'c']
    for (const id of ids) expect((await write(insert({ id, headers: signed(`msg_${id}`, '{}', at), receivedAt: at.getTime() }))).ok).toBe(true)
    // Unrelated: not a Standard Webhooks delivery, stays as it is.
    await write(insert({ id: 'plain' }))
    expect(reader.get('a')!.verdict).toMatchObject({ status: 'unchecked', code: 'NO_KEY', scheme: 'standard-webhooks' })

    loop.setKeyring({ locked: false, keys: [makeKey('standard-webhooks', { secret: SECRET })] }, at.getTime())
    await loop.drainRecheck()
    for (const id of ids) expect(reader.get(id)!.verdict).toMatchObject({ status: 'valid', scheme: 'standard-webhooks' })
    expect(reader.get('plain')!.verdict).toMatchObject({ status: 'unchecked', code: 'NO_SCHEME' })
    const progress = events.filter((event) => event.type === 'recheck')
    expect(progress[0]).toEqual({ type: 'recheck', progress: { schemes: ['standard-webhooks'], done: 0, total: 3 } })
    expect(progress.at(-1)).toEqual({ type: 'recheck', progress: { schemes: ['standard-webhooks'], done: 3, total: 3 } })
    const updated = events.flatMap((event) => (event.type === 'updated' ? event.summaries.map((summary) => summary.id) : []))
    expect(updated.sort()).toEqual(ids)
  })

  it('re-checks large bodies a few at a time: a batch reads at most 16 MiB of bodies (and always one delivery)', async () => {
    const { loop, write, events, reader } = writer()
    loop.setKeyring({ locked: false, keys: [] }, 0)
    const at = new Date()
    const body = `{"pad":"${'x'.repeat(6 * 1024 * 1024)}"}`
    const ids = ['a', 'b', 'c', 'd', 'e']
    for (const id of ids) {
      const result = await write(
        insert({ id, headers: signed(`msg_${id}`, body, at), body: Buffer.from(body), bodySize: body.length, receivedAt: at.getTime() })
      )
      expect(result.ok).toBe(true)
    }
    loop.setKeyring({ locked: false, keys: [makeKey('standard-webhooks', { secret: SECRET })] }, at.getTime())
    await loop.drainRecheck()
    for (const id of ids) expect(reader.get(id)!.verdict).toMatchObject({ status: 'valid' })
    // 6 MiB each: two per batch (a third would pass 16 MiB), where 100 small ones would share one.
    const done = events.flatMap((event) => (event.type === 'recheck' ? [event.progress.done] : []))
    expect(done).toEqual([0, 2, 4, 5])
  })

  it('does not re-check when nothing about a scheme’s keys changed', async () => {
    const { loop, events } = writer()
    const key = makeKey('standard-webhooks', { secret: SECRET })
    loop.setKeyring({ locked: false, keys: [key] }, 0)
    loop.setKeyring({ locked: false, keys: [key] }, 0)
    await loop.drainRecheck()
    expect(events).toEqual([])
  })
})

describe('work the writer does when nothing else waits', () => {
  it('fills in the event type of rows stored before that column existed', async () => {
    // A row as an older version left it: no event type, and the backfill mark the migration sets.
    deliveriesOn(temp.db).insertMany([makeDelivery({ id: 'old', body: Buffer.from('{"type":"invoice.paid"}') })])
    temp.db.exec(`UPDATE deliveries SET event_type = NULL;
      INSERT OR REPLACE INTO hookscope_meta (key, value) VALUES ('event_type_backfill_below', '1000')`)
    const { loop, reader } = writer()
    await loop.drainRecheck()
    expect(reader.get('old')!.eventType).toBe('invoice.paid')
    expect(temp.db.prepare(`SELECT count(*) AS n FROM hookscope_meta WHERE key = 'event_type_backfill_below'`).get()).toEqual({ n: 0 })
  })
})

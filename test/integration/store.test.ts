import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { DeliveriesReader } from '../../electron/engine/store/deliveries-reader'
import { SCHEMA_VERSION } from '../../electron/engine/store/migrations'
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from '../../electron/engine/store/open-database'
import { deliveriesOn, makeDelivery } from '../helpers/delivery-records'
import { makeTempDir } from '../helpers/temp-dir'

let dir: ReturnType<typeof makeTempDir>
let db: SqliteDatabase | undefined

beforeEach(() => {
  dir = makeTempDir()
})
afterEach(() => {
  db?.close()
  db = undefined
  dir.remove()
})

describe('opening the store', () => {
  it('creates a WAL database at the current schema version', () => {
    db = openDatabase(dir.path)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
  })

  it('refuses a SQLite file that belongs to something else, and leaves it untouched', () => {
    const file = join(dir.path, DATABASE_FILE)
    const other = new Database(file)
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1)')
    other.close()
    const before = readFileSync(file)
    expect(() => openDatabase(dir.path)).toThrow(expect.objectContaining({ code: 'STORE_NOT_HOOKSCOPE' }))
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('refuses a file that is not SQLite at all, and leaves it untouched', () => {
    const file = join(dir.path, DATABASE_FILE)
    const garbage = Buffer.from('this is my shopping list, not a database '.repeat(200))
    writeFileSync(file, garbage)
    expect(() => openDatabase(dir.path)).toThrow(expect.objectContaining({ code: 'STORE_NOT_HOOKSCOPE' }))
    expect(readFileSync(file).equals(garbage)).toBe(true)
  })

  it('refuses a store written by a newer Hookscope', () => {
    openDatabase(dir.path).close()
    const raw = new Database(join(dir.path, DATABASE_FILE))
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    expect(() => openDatabase(dir.path)).toThrow(expect.objectContaining({ code: 'STORE_TOO_NEW' }))
  })

  it('reports a store that another process keeps write-locked', () => {
    // A fresh file needs its migration, which needs the write lock that `holder` keeps.
    const holder = new Database(join(dir.path, DATABASE_FILE))
    holder.pragma('journal_mode = WAL')
    holder.exec('BEGIN EXCLUSIVE')
    try {
      expect(() => openDatabase(dir.path)).toThrow(expect.objectContaining({ code: 'STORE_LOCKED' }))
    } finally {
      holder.exec('ROLLBACK')
      holder.close()
    }
  }, 20_000)

  it('reports a missing store when opened read-only', () => {
    expect(() => openDatabase(dir.path, { readonly: true })).toThrow(expect.objectContaining({ code: 'STORE_UNREADABLE' }))
  })
})

describe('deliveries', () => {
  function repo() {
    db = openDatabase(dir.path)
    return deliveriesOn(db)
  }

  it('pages newest first with a cursor, without gaps or repeats', () => {
    const deliveries = repo()
    const records = Array.from({ length: 250 }, () => makeDelivery())
    deliveries.insertMany(records)
    const seen: string[] = []
    let cursor: string | undefined
    const sizes: number[] = []
    for (let i = 0; i < 10; i++) {
      const page = deliveries.list({ limit: 100, cursor })
      sizes.push(page.items.length)
      seen.push(...page.items.map((d) => d.id))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    expect(sizes).toEqual([100, 100, 50])
    expect(seen).toEqual(records.map((r) => r.id).reverse())
  })

  it('filters by endpoint, method and time range', () => {
    const deliveries = repo()
    deliveries.insertMany([
      makeDelivery({ id: 'a', endpointId: 'one', method: 'POST', receivedAt: 1000 }),
      makeDelivery({ id: 'b', endpointId: 'two', method: 'POST', receivedAt: 2000 }),
      makeDelivery({ id: 'c', endpointId: 'one', method: 'PUT', receivedAt: 3000 }),
      makeDelivery({ id: 'd', endpointId: 'one', method: 'POST', receivedAt: 4000 })
    ])
    const ids = (filter: Parameters<DeliveriesReader['list']>[0]) => deliveries.list(filter).items.map((d) => d.id)
    expect(ids({ endpointId: 'one' })).toEqual(['d', 'c', 'a'])
    expect(ids({ method: 'post' })).toEqual(['d', 'b', 'a'])
    expect(ids({ from: 2000, to: 4000 })).toEqual(['c', 'b'])
    expect(ids({ endpointId: 'one', method: 'POST', from: 2000 })).toEqual(['d'])
  })

  it('searches path, header values and text bodies, case-insensitively, but not binary bodies', () => {
    const deliveries = repo()
    deliveries.insertMany([
      makeDelivery({ id: 'path', url: '/orders/CREATED' }),
      makeDelivery({ id: 'header', headers: [['X-Event', 'invoice.paid']] }),
      makeDelivery({ id: 'body', body: Buffer.from('{"customer":"Ada Lovelace"}') }),
      makeDelivery({ id: 'binary', body: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from('lovelace')]) }),
      makeDelivery({ id: 'percent', url: '/discount/100%25', body: Buffer.from('50% off') })
    ])
    const q = (text: string) => deliveries.list({ q: text }).items.map((d) => d.id)
    expect(q('created')).toEqual(['path'])
    expect(q('INVOICE.PAID')).toEqual(['header'])
    expect(q('lovelace')).toEqual(['body'])
    // LIKE wildcards in the query are literal characters.
    expect(q('50%')).toEqual(['percent'])
    expect(q('_')).toEqual([])
  })

  it('rejects a cursor it never issued', () => {
    const deliveries = repo()
    expect(() => deliveries.list({ cursor: 'not a cursor!' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })

  it('deletes one, clears one endpoint, clears all, and keeps totals right', () => {
    const deliveries = repo()
    deliveries.insertMany([
      makeDelivery({ id: 'x', endpointId: 'one', body: Buffer.alloc(10) }),
      makeDelivery({ id: 'y', endpointId: 'two', body: Buffer.alloc(20) }),
      makeDelivery({ id: 'z', endpointId: 'two', body: Buffer.alloc(30) })
    ])
    expect(deliveries.totals()).toEqual({ count: 3, bytes: 60 })
    expect(deliveries.delete('x')).toBe(true)
    expect(deliveries.delete('x')).toBe(false)
    expect(deliveries.totals()).toEqual({ count: 2, bytes: 50 })
    expect(deliveries.clear('two')).toBe(2)
    expect(deliveries.totals()).toEqual({ count: 0, bytes: 0 })
    deliveries.insertMany([makeDelivery({ id: 'w' })])
    expect(deliveries.clear()).toBe(1)
    expect(deliveries.get('w')).toBeUndefined()
  })

  it('evicts the oldest beyond the count limit', () => {
    const deliveries = repo()
    const records = Array.from({ length: 25 }, () => makeDelivery())
    deliveries.insertMany(records)
    const removed = deliveries.evict({ maxDeliveries: 10, maxBytes: Number.MAX_SAFE_INTEGER })
    expect(removed).toEqual(records.slice(0, 15).map((r) => r.id))
    expect(deliveries.list({}).items.map((d) => d.id)).toEqual(
      records
        .slice(15)
        .map((r) => r.id)
        .reverse()
    )
  })

  it('evicts the oldest beyond the byte limit', () => {
    const deliveries = repo()
    const records = Array.from({ length: 5 }, () => makeDelivery({ body: Buffer.alloc(100) }))
    deliveries.insertMany(records)
    expect(deliveries.evict({ maxDeliveries: 100, maxBytes: 250 })).toEqual(records.slice(0, 3).map((r) => r.id))
    expect(deliveries.totals()).toEqual({ count: 2, bytes: 200 })
    expect(deliveries.evict({ maxDeliveries: 100, maxBytes: 250 })).toEqual([])
  })

  it('survives closing and reopening with totals recomputed', () => {
    let deliveries = repo()
    deliveries.insertMany([makeDelivery({ body: Buffer.alloc(7) }), makeDelivery({ body: Buffer.alloc(5) })])
    db!.close()
    deliveries = repo()
    expect(deliveries.totals()).toEqual({ count: 2, bytes: 12 })
  })
})

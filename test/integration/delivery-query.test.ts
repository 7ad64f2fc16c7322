import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrations } from '../../electron/engine/store/migrations'
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from '../../electron/engine/store/open-database'
import { type DeliveryQuery, MAX_TEXT_MATCH_COUNT } from '../../shared/api/contract'
import type { Verdict, VerdictCode, VerdictStatus } from '../../shared/model/verdict'
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

function verdict(status: VerdictStatus, scheme: string | null, code: VerdictCode | null): Verdict {
  return { status, scheme, keyId: null, code, summary: '', steps: [], findings: [], checkedAt: 0 }
}

const stripe = (type: string) => Buffer.from(JSON.stringify({ id: 'evt', object: 'event', type }))

/** A small store with one delivery per interesting combination; ids say what each is. */
type Repo = ReturnType<typeof deliveriesOn>

function seed(): Repo {
  db = openDatabase(dir.path)
  const repo = deliveriesOn(db)
  repo.insertMany([
    makeDelivery({ id: 'stripe-valid', receivedAt: 1_000, body: stripe('invoice.paid'), verdict: verdict('valid', 'stripe', null) }),
    makeDelivery({
      id: 'stripe-bad',
      receivedAt: 2_000,
      body: stripe('invoice.created'),
      verdict: verdict('invalid', 'stripe', 'SIG_MISMATCH'),
      responseStatus: 500
    }),
    makeDelivery({
      id: 'github-stale',
      receivedAt: 3_000,
      headers: [['X-GitHub-Event', 'push']],
      body: Buffer.from('{}'),
      verdict: verdict('invalid', 'github', 'TIMESTAMP_STALE'),
      responseStatus: 404
    }),
    makeDelivery({ id: 'plain', receivedAt: 4_000, body: Buffer.from('hello'), verdict: verdict('unchecked', null, 'NO_SCHEME'), responseStatus: 202 }),
    makeDelivery({ id: 'jwe', receivedAt: 5_000, body: Buffer.from('{"type":"invoices"}'), verdict: verdict('decrypted', 'jwe', null) })
  ])
  return repo
}

const ids = (repo: Repo, query: DeliveryQuery) => repo.list(query).items.map((item) => item.id)

describe('filtering deliveries', () => {
  it('stores the event type and returns it in the summary', () => {
    const repo = seed()
    const byId = Object.fromEntries(repo.list({}).items.map((item) => [item.id, item.eventType]))
    expect(byId).toEqual({ 'stripe-valid': 'invoice.paid', 'stripe-bad': 'invoice.created', 'github-stale': 'push', plain: null, jwe: 'invoices' })
  })

  it('filters by verdict, code, scheme, response status, event type and time, newest first', () => {
    const repo = seed()
    expect(ids(repo, { verdict: 'invalid' })).toEqual(['github-stale', 'stripe-bad'])
    expect(ids(repo, { verdict: 'decrypted' })).toEqual(['jwe'])
    expect(ids(repo, { verdict: 'unchecked' })).toEqual(['plain'])
    expect(ids(repo, { code: 'SIG_MISMATCH' })).toEqual(['stripe-bad'])
    expect(ids(repo, { scheme: 'stripe' })).toEqual(['stripe-bad', 'stripe-valid'])
    expect(ids(repo, { verdict: 'invalid', scheme: 'stripe' })).toEqual(['stripe-bad'])
    expect(ids(repo, { status: 404 })).toEqual(['github-stale'])
    expect(ids(repo, { status: '2xx' })).toEqual(['jwe', 'plain', 'stripe-valid'])
    expect(ids(repo, { status: '5xx' })).toEqual(['stripe-bad'])
    expect(ids(repo, { from: 2_000, to: 4_000 })).toEqual(['github-stale', 'stripe-bad'])
  })

  it('matches an event type exactly or as a dot-separated prefix, never as a bare prefix', () => {
    const repo = seed()
    expect(ids(repo, { eventType: 'invoice.paid' })).toEqual(['stripe-valid'])
    expect(ids(repo, { eventType: 'invoice' })).toEqual(['stripe-bad', 'stripe-valid'])
    // "invoices" starts with "invoice" but is another event.
    expect(ids(repo, { eventType: 'invoices' })).toEqual(['jwe'])
    expect(ids(repo, { eventType: 'invoice.p' })).toEqual([])
  })

  it('matches free text against verdict codes, schemes and event types too', () => {
    const repo = seed()
    expect(ids(repo, { q: 'sig_mismatch' })).toEqual(['stripe-bad'])
    expect(ids(repo, { q: 'TIMESTAMP_STALE' })).toEqual(['github-stale'])
    expect(ids(repo, { q: 'github' })).toEqual(['github-stale'])
    expect(ids(repo, { q: 'hello' })).toEqual(['plain'])
  })

  it('counts all deliveries and the matches', () => {
    const repo = seed()
    expect(repo.counts({})).toEqual({ total: 5, matched: 5, capped: false })
    expect(repo.counts({ verdict: 'invalid' })).toEqual({ total: 5, matched: 2, capped: false })
    expect(repo.counts({ q: 'nothing like this' })).toEqual({ total: 5, matched: 0, capped: false })
  })

  it('stops counting free-text matches at the cap, and says so', () => {
    db = openDatabase(dir.path)
    const repo = deliveriesOn(db)
    repo.insertMany(Array.from({ length: MAX_TEXT_MATCH_COUNT + 1 }, () => makeDelivery({ body: Buffer.from('needle') })))
    expect(repo.counts({ q: 'needle' })).toEqual({ total: MAX_TEXT_MATCH_COUNT + 1, matched: MAX_TEXT_MATCH_COUNT, capped: true })
    expect(repo.counts({ endpointId: 'ep' })).toEqual({ total: MAX_TEXT_MATCH_COUNT + 1, matched: MAX_TEXT_MATCH_COUNT + 1, capped: false })
  })

  it('lists the values present, for the filter menus', () => {
    const repo = seed()
    expect(repo.facets()).toEqual({
      eventTypes: ['invoice.created', 'invoice.paid', 'invoices', 'push'],
      schemes: ['github', 'jwe', 'stripe'],
      codes: ['NO_SCHEME', 'SIG_MISMATCH', 'TIMESTAMP_STALE'],
      statuses: [200, 202, 404, 500]
    })
  })

  it('pages through a query with cursors', () => {
    const repo = seed()
    const first = repo.list({ scheme: 'stripe', limit: 1 })
    expect(first.items.map((item) => item.id)).toEqual(['stripe-bad'])
    const second = repo.list({ scheme: 'stripe', limit: 1, cursor: first.nextCursor! })
    expect(second.items.map((item) => item.id)).toEqual(['stripe-valid'])
    expect(second.nextCursor).toBeNull()
  })
})

describe('iterating a query for export', () => {
  it('yields the matches oldest first across pages, and leaves the connection free between rows', () => {
    const repo = seed()
    const seen: string[] = []
    for (const row of repo.iterate({ verdict: 'invalid' }, 1)) {
      seen.push(row.id)
      // An open SQLite iterator would make this throw ("connection is busy").
      repo.insertMany([makeDelivery({ verdict: verdict('valid', 'x', null) })])
    }
    expect(seen).toEqual(['stripe-bad', 'github-stale'])
    expect([...repo.iterate({}, 2)].map((row) => row.id).slice(0, 5)).toEqual(['stripe-valid', 'stripe-bad', 'github-stale', 'plain', 'jwe'])
  })
})

describe('query plans at scale (filters read an index, never the whole table)', () => {
  const planOf = (database: SqliteDatabase, query: DeliveryQuery): string => {
    const repo = deliveriesOn(database)
    // The statement list() runs is cached by SQL text: capture it through a spy on prepare.
    const seen: string[] = []
    const prepare = database.prepare.bind(database)
    const spy = (sql: string) => {
      seen.push(sql)
      return prepare(sql)
    }
    ;(database as unknown as { prepare: typeof spy }).prepare = spy
    try {
      repo.list({ ...query, limit: 500 })
    } finally {
      ;(database as unknown as { prepare: typeof prepare }).prepare = prepare
    }
    const sql = seen.find((text) => text.includes('ORDER BY seq DESC LIMIT'))!
    const args = sqlArgs(query)
    return (database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args, 501) as { detail: string }[]).map((row) => row.detail).join(' | ')
  }

  it.each<[string, DeliveryQuery, RegExp]>([
    ['verdict', { verdict: 'invalid' }, /USING (COVERING )?INDEX deliveries_by_verdict \(verdict_status=\?\)/],
    ['verdict code', { code: 'SIG_MISMATCH' }, /USING (COVERING )?INDEX deliveries_by_verdict_code \(verdict_code=\?\)/],
    ['scheme', { scheme: 'stripe' }, /USING (COVERING )?INDEX deliveries_by_scheme \(verdict_scheme=\?\)/],
    ['response status', { status: 500 }, /USING (COVERING )?INDEX deliveries_by_response_status \(response_status=\?\)/],
    ['event type', { eventType: 'invoice' }, /INDEX deliveries_by_event_type/],
    ['endpoint', { endpointId: 'ep' }, /USING (COVERING )?INDEX deliveries_by_endpoint \(endpoint_id=\?\)/]
  ])('%s', (_label, query, index) => {
    db = openDatabase(dir.path)
    const plan = planOf(db, query)
    expect(plan).toMatch(index)
    expect(plan).not.toMatch(/SCAN deliveries(?! USING)/)
  })

  it('equality filters need no sort: the index gives newest first', () => {
    db = openDatabase(dir.path)
    for (const query of [{ verdict: 'invalid' }, { code: 'SIG_MISMATCH' }, { scheme: 'stripe' }, { status: 500 }] as DeliveryQuery[]) {
      expect(planOf(db, query)).not.toContain('TEMP B-TREE')
    }
  })

  it('a range filter that matches many rows reads by seq and stops at the page; a rare one reads its index', () => {
    db = openDatabase(dir.path)
    const repo = deliveriesOn(db)
    const plans: string[] = []
    const prepare = db.prepare.bind(db)
    ;(db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      if (sql.includes('ORDER BY seq DESC LIMIT')) plans.push(sql)
      return prepare(sql)
    }
    // 30 rows of 5xx for a page of 1: dense (more than 20 per row of the page).
    repo.insertMany(Array.from({ length: 30 }, () => makeDelivery({ responseStatus: 503, body: stripe('invoice.paid') })))
    repo.insertMany([makeDelivery({ responseStatus: 404, body: stripe('refund.created') })])
    expect(repo.list({ status: '5xx', limit: 1 }).items).toHaveLength(1)
    expect(repo.list({ eventType: 'invoice', limit: 1 }).items).toHaveLength(1)
    expect(repo.list({ status: '4xx', limit: 1 }).items).toHaveLength(1)
    expect(repo.list({ eventType: 'refund', limit: 1 }).items).toHaveLength(1)
    const [dense5xx, denseInvoice, rare4xx, rareRefund] = plans.map((sql) => {
      const args = sql.includes('response_status >=')
        ? [sql.includes('+response_status') ? 500 : 400, sql.includes('+response_status') ? 600 : 500]
        : sql.includes('+event_type')
          ? ['invoice', 'invoice/', 'invoice', 8]
          : ['refund', 'refund/', 'refund', 7]
      return (db!.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args, 2) as { detail: string }[]).map((row) => row.detail).join(' | ')
    })
    expect(dense5xx).not.toContain('TEMP B-TREE')
    expect(denseInvoice).not.toContain('TEMP B-TREE')
    expect(rare4xx).toContain('deliveries_by_response_status')
    expect(rareRefund).toContain('deliveries_by_event_type')
    ;(db as unknown as { prepare: typeof prepare }).prepare = prepare
  })

  it('a time range reads the time index', () => {
    db = openDatabase(dir.path)
    expect(planOf(db, { from: 1, to: 2 })).toMatch(/INDEX deliveries_by_time \(received_at>\? AND received_at<\?\)|USING INTEGER PRIMARY KEY/)
  })
})

/** The positional arguments list() binds for these queries, in order (mirrors queryClauses). */
function sqlArgs(query: DeliveryQuery): unknown[] {
  if (query.verdict) return [query.verdict]
  if (query.code) return [query.code]
  if (query.scheme) return [query.scheme]
  if (typeof query.status === 'number') return [query.status]
  if (query.eventType) return [query.eventType, `${query.eventType}/`, query.eventType, query.eventType.length + 1]
  if (query.endpointId) return [query.endpointId]
  if (query.from !== undefined) return [query.from, query.to]
  return []
}

describe('event types of deliveries stored before the event type column', () => {
  it('are filled in, newest first, in bounded steps', () => {
    // A store as the version before left it, with deliveries in it.
    const raw = new Database(join(dir.path, DATABASE_FILE))
    raw.pragma('journal_mode = WAL')
    const before = migrations.findIndex((sql) => sql.includes('ADD COLUMN event_type'))
    expect(before).toBeGreaterThan(0)
    for (const sql of migrations.slice(0, before)) raw.exec(sql)
    raw.pragma(`user_version = ${before}`)
    const insert = raw.prepare(`INSERT INTO deliveries (id, endpoint_id, received_at, duration_ms, method, url, http_version, raw_headers,
      content_type, body, body_size, body_is_text, truncated, response_status, remote_address, remote_port)
      VALUES (?, 'ep', ?, 1, 'POST', '/', '1.1', ?, 'application/json', ?, 10, 1, 0, 200, '127.0.0.1', 1)`)
    for (let i = 0; i < 25; i++) insert.run(`old${i}`, i, '[]', stripe(`old.${i}`))
    insert.run('gh', 100, JSON.stringify([['X-GitHub-Event', 'issues']]), Buffer.from('{"action":"closed"}'))
    raw.close()

    db = openDatabase(dir.path)
    const repo = deliveriesOn(db)
    // Stored after the upgrade: typed at once, and never re-read by the backfill.
    repo.insertMany([makeDelivery({ id: 'new', endpointId: 'ep', body: stripe('new.one') })])
    expect(repo.list({ eventType: 'old' }).items).toHaveLength(0)

    expect(repo.backfillEventTypes(10, 1024 * 1024)).toBe(false)
    // The newest ten old rows first.
    expect(repo.list({ eventType: 'issues' }).items.map((item) => item.id)).toEqual(['gh'])
    expect(repo.counts({ eventType: 'old' }).matched).toBe(9)

    // The capture worker runs further steps whenever nothing else waits (write-loop.test.ts).
    while (!repo.backfillEventTypes(4, 1024));
    expect(repo.counts({ eventType: 'old' }).matched).toBe(25)
    expect(repo.list({ eventType: 'new' }).items.map((item) => item.id)).toEqual(['new'])
    expect(repo.backfillEventTypes(10, 1024)).toBe(true)
    expect(db.prepare(`SELECT count(*) AS n FROM hookscope_meta WHERE key = 'event_type_backfill_below'`).get()).toEqual({ n: 0 })
  })
})

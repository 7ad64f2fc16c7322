import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../electron/engine'
import { openWriter } from '../../electron/engine/capture/writer/open-writer'
import type { WriteResult } from '../../electron/engine/capture/writer/write-executor'
import type { WriterEvent } from '../../electron/engine/capture/writer/write-loop'
import { systemClock } from '../../electron/engine/clock'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import { SCHEMA_VERSION } from '../../electron/engine/store/migrations'
import { DATABASE_FILE, openDatabase } from '../../electron/engine/store/open-database'
import { checkStore } from '../../electron/engine/store/store-check'
import { recoveryAdvice } from '../../electron/engine/store/store-damage'
import type { EngineEvent } from '../../shared/api/contract'
import { assertCliBuilt, runCli } from '../helpers/cli-process'
import { damagePages, pagesOf, populatedStore } from '../helpers/damaged-store'
import { deliveriesOn, makeDelivery } from '../helpers/delivery-records'
import { makeTempDir } from '../helpers/temp-dir'

/** Issue 10 #8 on real SQLite files whose pages were overwritten. */

let dir: ReturnType<typeof makeTempDir>
let engine: Engine | undefined

beforeEach(() => {
  dir = makeTempDir()
})
afterEach(async () => {
  await engine?.stop()
  engine = undefined
  dir.remove()
})

function start(config: { storeCheck?: { maxFullCheckPages?: number; budgetMs?: number } } = {}) {
  const events: EngineEvent[] = []
  return createEngine({ dataDir: dir.path, host: 'headless', version: 'test', ...config }, { clock: systemClock, logger: silentLogger }).then((created) => {
    engine = created
    created.subscribe((event) => events.push(event))
    return { engine: created, client: createLocalClient(created), events }
  })
}

const sidecars = () => ['-wal', '-shm'].filter((suffix) => existsSync(join(dir.path, DATABASE_FILE + suffix)))

describe('a database whose pages are damaged', () => {
  it('is reported as damaged (not as someone else’s file), with how to recover, and is left byte for byte as it was', () => {
    const file = populatedStore(dir.path)
    // The page holding hookscope_meta: the store cannot even be recognised without it.
    damagePages(file, pagesOf(file, 'hookscope_meta'))
    const before = readFileSync(file)
    let error: unknown
    try {
      openDatabase(dir.path).close()
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({ code: 'STORE_DAMAGED' })
    const message = (error as Error).message
    expect(message).toContain(file)
    expect(message).toContain('is damaged')
    expect(message).toContain('sqlite3 hookscope.db .recover | sqlite3 recovered.db')
    expect(message).toContain(`PRAGMA user_version = ${SCHEMA_VERSION}`)
    expect(message).toMatch(/restore a backup/)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(sidecars()).toEqual([])
  })

  it('`hookscope listen` says so and exits 1, without a stack trace, and without touching the file', async () => {
    assertCliBuilt()
    const file = populatedStore(dir.path)
    damagePages(file, pagesOf(file, 'hookscope_meta'))
    const before = readFileSync(file)
    const result = await runCli(['listen', '--port', '0', '--no-ui', '--data', dir.path])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`${file} is damaged`)
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(sidecars()).toEqual([])
  })

  it('a damaged store that would need a migration is refused, not migrated', () => {
    const file = populatedStore(dir.path)
    damagePages(file, pagesOf(file, 'deliveries_by_method'))
    // As if written by the Hookscope before this one: opening it would run the last migration.
    const header = readFileSync(file)
    header.writeUInt32BE(SCHEMA_VERSION - 1, 60)
    writeFileSync(file, header)
    expect(() => openDatabase(dir.path, { check: { now: Date.now, onDamage: () => undefined } })).toThrow(expect.objectContaining({ code: 'STORE_DAMAGED' }))
    expect(readFileSync(file).equals(header)).toBe(true)
  })

  it.skipIf(spawnSync('sqlite3', ['-version']).status !== 0)(
    'the recovery the message gives works: the recovered copy opens as a Hookscope store',
    async () => {
      const file = populatedStore(dir.path, 500)
      // A leaf of the deliveries table: some rows are lost, the rest is recovered.
      const leaves = pagesOf(file, 'deliveries', { leavesOnly: true })
      damagePages(file, [leaves[1]!])
      // The message's fallback, as written there (Debian 12's sqlite3 lacks sqlite_dbpage, which .recover needs).
      const fallback = /if your sqlite3 has no working \.recover: `([^`]+)`/.exec(recoveryAdvice(file, SCHEMA_VERSION))?.[1]
      expect(fallback).toBeDefined()
      const recovery = spawnSync('sh', ['-c', fallback!], { cwd: dir.path, encoding: 'utf8' })
      expect(recovery.status, recovery.stderr).toBe(0)
      const recovered = makeTempDir()
      try {
        copyFileSync(join(dir.path, 'recovered.db'), join(recovered.path, DATABASE_FILE))
        const db = openDatabase(recovered.path, { check: { now: Date.now, onDamage: (detail) => expect.fail(detail) } })
        const rows = db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number
        db.close()
        expect(rows).toBeGreaterThan(0)
        expect(rows).toBeLessThan(500)
      } finally {
        recovered.remove()
      }
    }
  )
})

describe('a damaged index', () => {
  it('is found at start: health "damaged" before any delivery, and senders get a 503 that says why', async () => {
    const file = populatedStore(dir.path)
    damagePages(file, pagesOf(file, 'deliveries_by_method'))
    const { client } = await start()
    expect(await client.invoke('store.health', {})).toMatchObject({ state: 'damaged', detail: expect.stringContaining('.recover') })
    const endpoint = await client.invoke('endpoints.create', { id: 'hooks', name: 'Hooks', port: 0 })
    const response = await fetch(endpoint.state.url!, { method: 'PUT', body: 'x' })
    expect(response.status).toBe(503)
    expect(await response.json()).toEqual({ error: 'store unavailable', reason: 'damaged' })
    expect(await client.invoke('store.health', {})).toMatchObject({ state: 'damaged', failures: 1 })
  })

  it('is found by the bounded walk on a database too large for a whole quick_check', () => {
    const file = populatedStore(dir.path)
    damagePages(file, pagesOf(file, 'deliveries_by_method'))
    const db = openDatabase(dir.path, { readonly: true })
    try {
      expect(checkStore(db, { maxFullCheckPages: 0, now: Date.now })).toEqual({ damage: expect.stringContaining('malformed'), scope: 'indexes' })
      // The walk stops when its time is spent: a clock past the budget checks nothing more.
      let now = 0
      expect(checkStore(db, { maxFullCheckPages: 0, budgetMs: 10, now: () => (now += 100) })).toEqual({ damage: null, scope: 'partial' })
    } finally {
      db.close()
    }
  })

  it('missed at start, is reported by the capture worker’s first failed write', async () => {
    const file = populatedStore(dir.path)
    damagePages(file, pagesOf(file, 'deliveries_by_method'))
    // No time for any check at open.
    const { client, events } = await start({ storeCheck: { maxFullCheckPages: 0, budgetMs: -1 } })
    expect(await client.invoke('store.health', {})).toMatchObject({ state: 'ok' })
    const endpoint = await client.invoke('endpoints.create', { id: 'hooks', name: 'Hooks', port: 0 })
    const first = await fetch(endpoint.state.url!, { method: 'PUT', body: 'x' })
    expect(first.status).toBe(503)
    expect(await client.invoke('store.health', {})).toMatchObject({ state: 'damaged' })
    expect(events).toContainEqual({ type: 'store.health', health: expect.objectContaining({ state: 'damaged' }) })
    // From then on nothing is written: even a delivery the damaged index would not see is refused.
    const second = await fetch(endpoint.state.url!, { method: 'POST', body: 'y' })
    expect(second.status).toBe(503)
    expect(await second.json()).toEqual({ error: 'store unavailable', reason: 'damaged' })
  })
})

describe('damage met on the capture worker’s connection', () => {
  it('is announced by the writer itself (a `damaged` event), whatever op meets it', async () => {
    const file = populatedStore(dir.path)
    damagePages(file, pagesOf(file, 'deliveries_by_method'))
    const events: WriterEvent[] = []
    const writer = openWriter(
      { dataDir: dir.path, durability: 'crash', retention: { maxDeliveries: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER } },
      silentLogger,
      (event) => events.push(event)
    )
    try {
      const { verdict: _verdict, ...delivery } = makeDelivery({ method: 'PUT' })
      const [result] = await new Promise<WriteResult[]>((resolve) =>
        writer.loop.submit([{ kind: 'delivery.insert', input: { delivery, checkedAt: 1 } }], resolve)
      )
      expect(result).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^SQLITE_CORRUPT/) } })
      expect(events).toContainEqual({ type: 'damaged', detail: expect.stringContaining('malformed') })
    } finally {
      await writer.close()
    }
  })
})

describe('damage met by a read on the API’s connection', () => {
  it('answers STORE_DAMAGED and turns the store’s health to damaged', async () => {
    const file = populatedStore(dir.path)
    const db = openDatabase(dir.path)
    const big = makeDelivery({ body: Buffer.alloc(64 * 1024, 0x61), bodySize: 64 * 1024 })
    deliveriesOn(db).insertMany([big])
    db.close()
    // The pages of that body only: nothing reads them until someone opens this delivery (the
    // bounded check of a large database walks the indexes, not the bodies).
    damagePages(file, pagesOf(file, 'deliveries', { overflowOnly: true }))
    const { client, events } = await start({ storeCheck: { maxFullCheckPages: 0 } })
    expect(await client.invoke('store.health', {})).toMatchObject({ state: 'ok' })
    await expect(client.invoke('deliveries.get', { id: big.id })).rejects.toMatchObject({ code: 'STORE_DAMAGED' })
    expect(await client.invoke('store.health', {})).toMatchObject({ state: 'damaged' })
    expect(events.filter((event) => event.type === 'store.health')).toEqual([{ type: 'store.health', health: expect.objectContaining({ state: 'damaged' }) }])
  })
})

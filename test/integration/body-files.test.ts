import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { CapturePipeline } from '../../electron/engine/capture/capture-pipeline'
import type { IncomingRequest } from '../../electron/engine/capture/capture-types'
import { BodyFileStore } from '../../electron/engine/capture/writer/body-file-store'
import { WorkerStore } from '../../electron/engine/capture/writer/worker-store'
import { systemClock } from '../../electron/engine/clock'
import { createIdGenerator } from '../../electron/engine/ids'
import { silentLogger } from '../../electron/engine/logger'
import { BODY_FILE_MIN_BYTES, BODY_FILES_DIR, BodyFiles } from '../../electron/engine/store/body-files'
import { DeliveriesReader } from '../../electron/engine/store/deliveries-reader'
import { DATABASE_FILE, openDatabase } from '../../electron/engine/store/open-database'
import { StoreHealth } from '../../electron/engine/store/store-health'
import type { EngineEvent } from '../../shared/api/contract'
import { pollUntil, runCli } from '../helpers/cli-process'
import { answer, startTarget } from '../helpers/relay-targets'
import { fillUp, smallTmpfs } from '../helpers/small-tmpfs'
import { engineEachTest } from '../helpers/test-engine'

/**
 * Bodies of BODY_FILE_MIN_BYTES and more are kept in `bodies/<id>` in the data folder, their row
 * naming the file's length. A real engine on a real data folder, real sockets, the real capture
 * worker: every reader (API, verification, re-check, export, CLI) gets the bytes back, and every
 * way a delivery goes (delete, clear, retention, a crash before its row) takes its file along.
 */

const MiB = 1024 * 1024
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const PASSPHRASE = 'correct horse battery staple'
/** Removal of a deleted delivery's file waits for a WAL fsync: bounded, never a fixed sleep. */
const FILE_GONE_MS = 10_000

const engines = engineEachTest()

async function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { method: 'POST', headers, body })
  expect(res.status).toBe(200)
  return ((await res.json()) as { id: string }).id
}

const bodiesDir = (dataDir = engines.dir) => join(dataDir, BODY_FILES_DIR)
const bodyFile = (id: string, dataDir = engines.dir) => join(bodiesDir(dataDir), id)

async function bodyOf(id: string): Promise<Buffer> {
  return Buffer.from((await engines.last.client.invoke('deliveries.get', { id })).bodyBase64, 'base64')
}

/** The delivery's row as SQLite has it, read on a connection of its own (read-only). */
function rowOf(id: string): { bodyLength: number; fileBytes: number | null } | undefined {
  const db = new Database(join(engines.dir, DATABASE_FILE), { readonly: true, fileMustExist: true })
  try {
    return db.prepare('SELECT length(body) AS bodyLength, body_file_bytes AS fileBytes FROM deliveries WHERE id = ?').get(id) as
      | { bodyLength: number; fileBytes: number | null }
      | undefined
  } finally {
    db.close()
  }
}

async function fileGone(id: string, dataDir = engines.dir): Promise<void> {
  await pollUntil(() => !existsSync(bodyFile(id, dataDir)), `the body file of ${id} to be removed`, FILE_GONE_MS)
}

/** A JSON body of about `bytes` bytes, UTF-8 text (Standard Webhooks signs text), with `word` inside. */
function bigJson(bytes: number, word = 'filler'): string {
  const data = randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64')
  return JSON.stringify({ type: 'report.ready', note: `the ${word} report`, data })
}

function signedHeaders(messageId: string, body: string): Record<string, string> {
  const at = new Date()
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(SECRET).sign(messageId, at, body)
  }
}

describe('where a body is kept', () => {
  it('keeps a 3 MiB body in bodies/<id>, its row empty and naming the length, and gives it back byte for byte; a 1 KiB body stays in its row', async () => {
    const hook = await engines.start()
    const big = randomBytes(3 * MiB)
    const small = randomBytes(1024)
    const bigId = await post(`${hook.url}big`, big, { 'content-type': 'application/octet-stream' })
    const smallId = await post(`${hook.url}small`, small, { 'content-type': 'application/octet-stream' })

    expect((await bodyOf(bigId)).equals(big)).toBe(true)
    expect(readFileSync(bodyFile(bigId)).equals(big)).toBe(true)
    expect(rowOf(bigId)).toEqual({ bodyLength: 0, fileBytes: 3 * MiB })

    expect((await bodyOf(smallId)).equals(small)).toBe(true)
    expect(existsSync(bodyFile(smallId))).toBe(false)
    expect(rowOf(smallId)).toEqual({ bodyLength: 1024, fileBytes: null })

    const listed = (await hook.client.invoke('deliveries.list', {})).items
    expect(listed.find((d) => d.id === bigId)?.bodySize).toBe(3 * MiB)
  })

  it('draws the line at BODY_FILE_MIN_BYTES: one byte less stays in the row, exactly that many go to a file', async () => {
    const hook = await engines.start()
    const below = randomBytes(BODY_FILE_MIN_BYTES - 1)
    const at = randomBytes(BODY_FILE_MIN_BYTES)
    const belowId = await post(`${hook.url}below`, below)
    const atId = await post(`${hook.url}at`, at)

    expect(rowOf(belowId)).toEqual({ bodyLength: BODY_FILE_MIN_BYTES - 1, fileBytes: null })
    expect(existsSync(bodyFile(belowId))).toBe(false)
    expect(rowOf(atId)).toEqual({ bodyLength: 0, fileBytes: BODY_FILE_MIN_BYTES })
    expect(readFileSync(bodyFile(atId)).equals(at)).toBe(true)
    expect((await bodyOf(belowId)).equals(below)).toBe(true)
    expect((await bodyOf(atId)).equals(at)).toBe(true)
  })
})

describe('verification of a body kept as a file', () => {
  it('finds a 2 MiB signed body valid, and the same body one byte longer invalid with the body-changed diagnosis, at capture and when verified again from the file', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    await hook.client.invoke('keys.create', { name: 'Reports', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const body = bigJson(2 * MiB)
    const validId = await post(`${hook.url}signed`, body, signedHeaders('msg_big_valid', body))
    // One byte more than was signed: a proxy that added a final newline.
    const changedId = await post(`${hook.url}changed`, `${body}\n`, signedHeaders('msg_big_changed', body))
    expect(existsSync(bodyFile(validId))).toBe(true)
    expect(existsSync(bodyFile(changedId))).toBe(true)

    const valid = await hook.client.invoke('deliveries.get', { id: validId })
    expect(valid.verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
    const changed = await hook.client.invoke('deliveries.get', { id: changedId })
    expect(changed.verdict).toEqual({ status: 'invalid', scheme: 'standard-webhooks', code: 'SIG_MISMATCH' })
    expect(changed.verdictDetail?.findings.map((f) => f.code)).toContain('BODY_CHANGED')

    // Verified again in the capture worker: the body now comes from its file, not from the request.
    expect(await hook.client.invoke('deliveries.verify', { id: validId })).toMatchObject({ status: 'valid', code: null })
    const again = await hook.client.invoke('deliveries.verify', { id: changedId })
    expect(again).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
    expect(again.findings.map((f) => f.code)).toContain('BODY_CHANGED')
  })

  it('turns a file-kept delivery valid when its key is added after capture (the re-check reads the file)', async () => {
    const hook = await engines.start({ passphrase: PASSPHRASE })
    const body = bigJson(2 * MiB)
    const id = await post(`${hook.url}late-key`, body, signedHeaders('msg_big_late', body))
    expect(existsSync(bodyFile(id))).toBe(true)
    expect((await hook.client.invoke('deliveries.get', { id })).verdict).toMatchObject({ status: 'unchecked', code: 'NO_KEY' })

    await hook.client.invoke('keys.create', { name: 'Reports', scheme: 'standard-webhooks', material: { secret: SECRET } })
    await pollUntil(() => hook.events.some((e) => e.type === 'deliveries.recheck' && e.total > 0 && e.done === e.total), 'the re-check to finish', FILE_GONE_MS)
    // The progress message and the row are told apart (either may come first): wait for the row.
    const verdict = await pollUntil(async () => {
      const delivery = await hook.client.invoke('deliveries.get', { id })
      return delivery.verdict?.status === 'unchecked' ? null : delivery.verdict
    }, 'the re-checked verdict')
    expect(verdict).toEqual({ status: 'valid', scheme: 'standard-webhooks', code: null })
    await pollUntil(() => hook.events.some((e) => e.type === 'delivery.updated' && e.delivery.id === id), 'delivery.updated')
  })
})

describe('export of a body kept as a file', () => {
  it('writes it byte for byte in NDJSON and HAR from the engine, and in NDJSON from the CLI', async () => {
    const hook = await engines.start()
    const big = randomBytes(3 * MiB)
    const id = await post(`${hook.url}export-me`, big, { 'content-type': 'application/octet-stream' })
    expect(existsSync(bodyFile(id))).toBe(true)

    const ndjson = [...hook.engine.exportDeliveries('ndjson', {}).chunks].join('')
    const lines = ndjson.split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    const line = JSON.parse(lines[0]!) as { id: string; bodyBase64: string; bodySize: number }
    expect(line.id).toBe(id)
    expect(line.bodySize).toBe(big.length)
    expect(Buffer.from(line.bodyBase64, 'base64').equals(big)).toBe(true)

    const har = JSON.parse([...hook.engine.exportDeliveries('har', {}).chunks].join('')) as {
      log: { entries: { _hookscope: { id: string }; request: { postData: { text: string; _encoding?: string } } }[] }
    }
    expect(har.log.entries).toHaveLength(1)
    const entry = har.log.entries[0]!
    expect(entry._hookscope.id).toBe(id)
    // Random bytes are no UTF-8: HAR carries them as base64.
    expect(entry.request.postData._encoding).toBe('base64')
    expect(Buffer.from(entry.request.postData.text, 'base64').equals(big)).toBe(true)

    // The CLI reads the data folder on its own (no engine running).
    await hook.stop()
    const exported = await runCli(['export', '--data', engines.dir, '--format', 'ndjson'], 60_000)
    expect(exported.code).toBe(0)
    const cliLines = exported.stdout.split('\n').filter(Boolean)
    expect(cliLines).toHaveLength(1)
    const cliLine = JSON.parse(cliLines[0]!) as { id: string; bodyBase64: string }
    expect(cliLine.id).toBe(id)
    expect(Buffer.from(cliLine.bodyBase64, 'base64').equals(big)).toBe(true)
  }, 90_000)
})

describe('a delivery that goes takes its body file along', () => {
  it('deliveries.delete removes the file (once the delete is synced) and leaves the others', async () => {
    const hook = await engines.start()
    const kept = randomBytes(2 * MiB)
    const goneId = await post(hook.url, randomBytes(2 * MiB))
    const keptId = await post(hook.url, kept)
    expect(existsSync(bodyFile(goneId))).toBe(true)

    expect(await hook.client.invoke('deliveries.delete', { id: goneId })).toEqual({ deleted: true })
    await fileGone(goneId)
    expect(rowOf(goneId)).toBeUndefined()
    expect((await bodyOf(keptId)).equals(kept)).toBe(true)
  })

  it('deliveries.clear removes the files of the endpoint it clears, then of all', async () => {
    const hook = await engines.start()
    const other = await hook.client.invoke('endpoints.create', { id: 'other', name: 'Other', port: 0 })
    const otherBody = randomBytes(2 * MiB)
    const testId = await post(hook.url, randomBytes(2 * MiB))
    const otherId = await post(other.state.url!, otherBody)
    expect(existsSync(bodyFile(testId))).toBe(true)
    expect(existsSync(bodyFile(otherId))).toBe(true)

    expect(await hook.client.invoke('deliveries.clear', { endpointId: 'test' })).toEqual({ deleted: 1 })
    await fileGone(testId)
    expect(existsSync(bodyFile(otherId))).toBe(true)
    expect((await bodyOf(otherId)).equals(otherBody)).toBe(true)

    expect(await hook.client.invoke('deliveries.clear', {})).toEqual({ deleted: 1 })
    await fileGone(otherId)
    expect(readdirSync(bodiesDir())).toEqual([])
  })

  it('retention removes the files of the deliveries it evicts, and names them in deliveries.removed', async () => {
    // Room for one 3 MiB body: each new one evicts the one before.
    const hook = await engines.start({ retention: { maxBytes: 5 * MiB } })
    const last = randomBytes(3 * MiB)
    const firstId = await post(hook.url, randomBytes(3 * MiB))
    const secondId = await post(hook.url, randomBytes(3 * MiB))
    const lastId = await post(hook.url, last)

    await fileGone(firstId)
    await fileGone(secondId)
    const removed = await pollUntil(() => {
      const ids = hook.events.flatMap((e: EngineEvent) => (e.type === 'deliveries.removed' ? e.ids : []))
      return ids.includes(firstId) && ids.includes(secondId) ? ids : null
    }, 'deliveries.removed naming both evicted deliveries')
    expect(removed).not.toContain(lastId)
    expect((await hook.client.invoke('deliveries.list', {})).items.map((d) => d.id)).toEqual([lastId])
    expect(readdirSync(bodiesDir())).toEqual([lastId])
    expect((await bodyOf(lastId)).equals(last)).toBe(true)
  })
})

describe('the relay and a body kept as a file', () => {
  it('replays it byte for byte, and the attempt shows the body it sent', async () => {
    const hook = await engines.start()
    const app = await startTarget(answer(204))
    try {
      const big = randomBytes(2 * MiB)
      const id = await post(`${hook.url}replay-me`, big, { 'content-type': 'application/octet-stream' })
      expect(existsSync(bodyFile(id))).toBe(true)

      const attempt = await hook.client.invoke('replay.send', { deliveryId: id, to: app.url })
      expect(attempt).toMatchObject({ state: 'succeeded', status: 204, requestBodySize: big.length })
      expect(app.requests).toHaveLength(1)
      expect(app.requests[0]!.body.equals(big)).toBe(true)
      // The attempt keeps no copy of a body it sent unchanged: it shows the delivery's.
      expect(Buffer.from(attempt.requestBodyBase64, 'base64').equals(big)).toBe(true)
      const stored = await hook.client.invoke('attempts.get', { id: attempt.id })
      expect(Buffer.from(stored.requestBodyBase64, 'base64').equals(big)).toBe(true)
    } finally {
      await app.close()
    }
  })
})

describe('files no delivery names', () => {
  it('are removed at the next start, stray names too, while a stored delivery keeps its file', async () => {
    const hook = await engines.start()
    const big = randomBytes(2 * MiB)
    const id = await post(hook.url, big)
    await hook.stop()

    // What a crash between a body's file and its row's commit leaves, and something that is no body.
    const orphan = createIdGenerator(Date.now)()
    writeFileSync(bodyFile(orphan), randomBytes(1000))
    writeFileSync(join(bodiesDir(), 'notes.txt'), 'not a body')
    expect(readdirSync(bodiesDir()).sort()).toEqual([id, orphan, 'notes.txt'].sort())

    await engines.start()
    expect(readdirSync(bodiesDir())).toEqual([id])
    expect((await bodyOf(id)).equals(big)).toBe(true)
  })
})

describe('search over bodies kept as files', () => {
  it('matches a file-kept delivery by its URL, not by a word only in its body, while a small body with that word is matched', async () => {
    const hook = await engines.start()
    const bigBody = bigJson(2 * MiB, 'zebrafish')
    const bigId = await post(`${hook.url}reports/quarterly-upload`, bigBody, { 'content-type': 'application/json' })
    const smallId = await post(`${hook.url}small`, '{"note":"the zebrafish report"}', { 'content-type': 'application/json' })
    // The big body is text and has the word: only where it is kept keeps it out of the search.
    expect(bigBody).toContain('zebrafish')
    expect(existsSync(bodyFile(bigId))).toBe(true)

    const byWord = await hook.client.invoke('deliveries.list', { q: 'zebrafish' })
    expect(byWord.items.map((d) => d.id)).toEqual([smallId])
    const byPath = await hook.client.invoke('deliveries.list', { q: 'quarterly-upload' })
    expect(byPath.items.map((d) => d.id)).toEqual([bigId])
    expect(await hook.client.invoke('deliveries.count', { q: 'zebrafish' })).toMatchObject({ total: 2, matched: 1 })
  })
})

describe('a body file that is gone', () => {
  it('makes deliveries.get fail with STORE_DAMAGED naming the delivery; the list and capture still work', async () => {
    const hook = await engines.start()
    const id = await post(`${hook.url}lost`, randomBytes(2 * MiB))
    rmSync(bodyFile(id))

    await expect(hook.client.invoke('deliveries.get', { id })).rejects.toMatchObject({
      code: 'STORE_DAMAGED',
      message: expect.stringContaining(id)
    })
    expect((await hook.client.invoke('deliveries.list', {})).items.map((d) => d.id)).toEqual([id])
    const next = await post(`${hook.url}next`, 'still captured')
    expect((await bodyOf(next)).toString()).toBe('still captured')
  })
})

/**
 * The capture path the engine wires (CapturePipeline → BodyFileStore → capture worker), built
 * as index.ts builds it, to reach the two ways an insert ends without a row after its file was
 * written: a tunnelled delivery the relay sent again, and a store that refuses the write.
 */
function capturePath(dataDir: string) {
  const db = openDatabase(dataDir) // migrated before the worker opens it, as the engine does
  const store = new WorkerStore(
    { dataDir, durability: 'crash', retention: { maxDeliveries: 1_000_000, maxBytes: Number.MAX_SAFE_INTEGER } },
    silentLogger,
    () => undefined
  )
  const bodyFiles = new BodyFiles(dataDir)
  const deliveries = new DeliveriesReader(db, bodyFiles)
  const health = new StoreHealth({ clock: systemClock, logger: silentLogger, emit: () => undefined })
  const pipeline = new CapturePipeline({
    store: new BodyFileStore(store, { bodyFiles, keepsBodyFile: (id) => deliveries.keepsBodyFile(id) }),
    endpoint: () => undefined,
    relay: null,
    nextId: createIdGenerator(Date.now),
    emit: () => undefined,
    clock: systemClock,
    logger: silentLogger,
    health
  })
  const close = async () => {
    await store.close()
    health.close()
    db.close()
  }
  return { pipeline, store, deliveries, close }
}

/** A request as the tunnel client builds it; a fresh copy of `body` each time (the store may take the buffer over). */
function tunnelled(body: Buffer, relayId: string): IncomingRequest {
  return {
    endpointId: 'test',
    receivedAt: Date.now(),
    durationMs: 1,
    method: 'POST',
    url: '/via-tunnel',
    httpVersion: '1.1',
    headers: [['Content-Type', 'application/octet-stream']],
    body: Buffer.from(body),
    bodySize: body.length,
    truncated: false,
    remoteAddress: '127.0.0.1',
    remotePort: 1,
    tls: null,
    source: { kind: 'tunnel', provider: 'hookscope', publicUrl: 'https://relay.test/c/x', reserialized: false, deliveryId: relayId }
  }
}

describe('a body file whose row is not stored', () => {
  it('is removed when the delivery is a tunnelled repeat: the copy stored before keeps its own file', async () => {
    const path = capturePath(engines.dir)
    try {
      const big = randomBytes(2 * MiB)
      const first = await path.pipeline.handle(tunnelled(big, 'rly_1'))
      expect(first.status).toBe(200)
      const firstId = (JSON.parse(first.body.toString()) as { id: string }).id
      const again = await path.pipeline.handle(tunnelled(big, 'rly_1'))
      expect(JSON.parse(again.body.toString())).toEqual({ id: firstId, repeated: true })

      // Removed before the answer: no wait needed.
      expect(readdirSync(bodiesDir())).toEqual([firstId])
      expect(path.deliveries.get(firstId)?.body.equals(big)).toBe(true)
    } finally {
      await path.close()
    }
  })

  it('is removed when the store refuses the insert after the file was written', async () => {
    const path = capturePath(engines.dir)
    try {
      await path.store.ready
      const closing = path.store.close()
      const answer = await path.pipeline.handle(tunnelled(randomBytes(2 * MiB), 'rly_2'))
      await closing
      expect(answer.status).toBe(503)
      expect(answer.notStored).toBe(true)
      // The folder was made for the file: the file was written, then removed.
      expect(readdirSync(bodiesDir())).toEqual([])
    } finally {
      await path.close()
    }
  })
})

/**
 * On a real full file system: a small tmpfs (as store-disk-full.test.ts does). Mounting needs
 * root; elsewhere this is skipped.
 */
const { mounted, mountPoint } = smallTmpfs('8m')

describe.skipIf(!mounted)('a big body on a nearly full disk', () => {
  it('gets 503 with Retry-After and leaves neither a file nor a row; small deliveries still get in', async () => {
    const dataDir = join(mountPoint, 'data')
    const hook = await engines.start({ dataDir })
    await post(`${hook.url}before`, 'small before')

    // Fill the file system, then give back 1 MiB: room for small rows, not for a 3 MiB body.
    const filler = join(mountPoint, 'filler')
    fillUp(filler)
    truncateSync(filler, statSync(filler).size - MiB)

    const res = await fetch(`${hook.url}too-big`, { method: 'POST', body: randomBytes(3 * MiB) })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(await hook.client.invoke('store.health', {})).toMatchObject({ state: 'disk-full' })
    expect(readdirSync(bodiesDir(dataDir))).toEqual([])

    await post(`${hook.url}after`, 'small after')
    const urls = (await hook.client.invoke('deliveries.list', {})).items.map((d) => d.url).sort()
    expect(urls).toEqual(['/after', '/before'])
    rmSync(filler)
  })
})

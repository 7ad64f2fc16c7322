import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BODY_FILE_MIN_BYTES, BODY_FILES_DIR } from '../../electron/engine/store/body-files'
import { parseLock } from '../../electron/engine/store/data-dir-lock'
import { assertCliBuilt, type CliExit, killAllCli, runCli, startListen, withTimeout } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * The promise behind every 2xx: Hookscope answers only after the delivery is stored, at either
 * durability level (crash: committed to the WAL; fsync: the WAL on disk). So a SIGKILL in the
 * middle of a load may lose requests that were never answered, but never one that was. Real
 * process, real sockets, real SQLite file.
 */

const TOTAL = 3_000
const CONCURRENCY = 64
const KILL_AFTER = 800
/** One request in this many posts a body kept as a file. */
const BIG_EVERY = 100

const temps: ReturnType<typeof makeTempDir>[] = []
const agents: Agent[] = []

beforeAll(() => assertCliBuilt())

afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy()
  await killAllCli()
  for (const dir of temps.splice(0)) dir.remove()
})

interface Reply {
  status: number
  body: string
}

/** One POST; resolves null if the connection fails or the answer is cut (never rejects, never hangs). */
function postOnce(agent: Agent, port: number, path: string, body: Buffer): Promise<Reply | null> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        timeout: 10_000,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve(res.complete ? { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() } : null))
        res.on('error', () => resolve(null))
        res.on('aborted', () => resolve(null))
      }
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', () => resolve(null))
    req.end(body)
  })
}

/** A body that names its request and is otherwise random, so any mix-up or corruption shows. */
function bodyFor(n: number): Buffer {
  // Some are kept in files of their own (body-files.ts): those must survive the kill as well.
  const size = n % BIG_EVERY === 7 ? BODY_FILE_MIN_BYTES + 512 * 1024 : 16 + (n % 257)
  return Buffer.concat([Buffer.from(`delivery ${n} `), randomBytes(size)])
}

describe.each(['crash', 'fsync'])('durability of acknowledged deliveries (--durability %s)', (level) => {
  it(`keeps every acknowledged delivery when listen is SIGKILLed under load (${TOTAL} POSTs, ${CONCURRENCY} at a time)`, async () => {
    const temp = makeTempDir('hookscope-kill-')
    temps.push(temp)
    const dataDir = temp.path
    const listen = await startListen(dataDir, ['--no-ui', '--durability', level])
    expect(await listen.waitForLine(/^Durability: /)).toMatch(new RegExp(`^Durability: ${level} \\(`))
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
    agents.push(agent)

    const sent = new Map<number, Buffer>()
    const acked = new Map<string, Buffer>()
    let next = 0
    let answered = 0
    let failuresBeforeKill = 0
    let non2xx = 0
    let killed: Promise<CliExit> | null = null

    const worker = async () => {
      while (next < TOTAL) {
        const n = next++
        const body = bodyFor(n)
        sent.set(n, body)
        const reply = await postOnce(agent, listen.capturePort, `/load/${n}?k=${n}`, body)
        if (!reply) {
          if (killed !== null) return
          failuresBeforeKill += 1
          continue
        }
        if (reply.status >= 200 && reply.status < 300) acked.set((JSON.parse(reply.body) as { id: string }).id, body)
        else non2xx += 1
        answered += 1
        if (answered === KILL_AFTER && !killed) killed = listen.kill()
      }
    }
    const load = await withTimeout(Promise.all(Array.from({ length: CONCURRENCY }, worker)), 90_000)
    expect(load, 'the load did not finish within 90 s').not.toBeNull()
    expect(killed, `the load ended before ${KILL_AFTER} answers`).not.toBeNull()
    expect(await killed).toEqual({ code: null, signal: 'SIGKILL' })

    expect(failuresBeforeKill).toBe(0)
    expect(non2xx).toBe(0)
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER)
    // The kill really landed mid-load.
    expect(acked.size).toBeLessThan(TOTAL)

    // The killed process left its lock behind, naming a pid that no longer exists.
    const lockFile = join(dataDir, 'hookscope.lock')
    expect(parseLock(readFileSync(lockFile, 'utf8'))?.pid).toBe(listen.pid)

    // export reads the store as the killed process left it (hot WAL, stale lock), read-only.
    const early = await runCli(['export', '--data', dataDir, '--format', 'ndjson'], 60_000)
    expect(early.code, early.stderr).toBe(0)
    const earlyIds = new Set(
      early.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { id: string }).id)
    )
    expect([...acked.keys()].filter((id) => !earlyIds.has(id))).toEqual([])

    // A restart takes the stale lock over and serves again.
    const restarted = await startListen(dataDir)
    // The level belongs to the data folder: kept without the flag.
    expect(await restarted.waitForLine(/^Durability: /)).toMatch(new RegExp(`^Durability: ${level} \\(`))
    expect(parseLock(readFileSync(lockFile, 'utf8'))?.pid).toBe(restarted.pid)
    const after = await postOnce(agent, restarted.capturePort, '/after-restart', Buffer.from('after'))
    expect(after?.status).toBe(200)

    // While it runs, the UI API sees every acknowledged delivery too.
    const check = [...acked.keys()].slice(0, 20)
    for (const id of check) {
      const response = await fetch(`${restarted.ui!.url}api/invoke/deliveries.get`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${restarted.ui!.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ id }),
        signal: AbortSignal.timeout(10_000)
      })
      expect(response.status, id).toBe(200)
      const delivery = ((await response.json()) as { value: { bodyBase64: string } }).value
      expect(Buffer.from(delivery.bodyBase64, 'base64').equals(acked.get(id)!), id).toBe(true)
    }
    expect(await restarted.stop('SIGTERM')).toEqual({ code: 0, signal: null })
    expect(existsSync(lockFile)).toBe(false)

    // Every acknowledged id is in the export, with the exact bytes that were sent.
    const exported = await runCli(['export', '--data', dataDir, '--format', 'ndjson'], 60_000)
    expect(exported.code).toBe(0)
    const stored = new Map<string, { body: Buffer; url: string }>()
    for (const line of exported.stdout.split('\n')) {
      if (!line) continue
      const delivery = JSON.parse(line) as { id: string; bodyBase64: string; url: string }
      stored.set(delivery.id, { body: Buffer.from(delivery.bodyBase64, 'base64'), url: delivery.url })
    }
    const missing = [...acked.keys()].filter((id) => !stored.has(id))
    expect(missing, `${missing.length} acknowledged deliveries are missing`).toEqual([])
    const wrong = [...acked].filter(([id, body]) => !stored.get(id)!.body.equals(body)).map(([id]) => id)
    expect(wrong, 'acknowledged deliveries with different bytes').toEqual([])

    // Nothing stored is garbage: every other row is a request we really sent (answered or not), intact.
    let unanswered = 0
    for (const [id, { body, url }] of stored) {
      if (acked.has(id)) continue
      if (url.endsWith('/after-restart')) continue
      const n = Number(/\/load\/(\d+)\?k=\1$/.exec(url)?.[1])
      expect(sent.get(n), `stored delivery ${id} (${url}) was never sent`).toBeDefined()
      expect(body.equals(sent.get(n)!), `stored delivery ${id} differs from request ${n}`).toBe(true)
      unanswered += 1
    }
    // At most the requests in flight at the kill were stored without an answer.
    expect(unanswered).toBeLessThanOrEqual(CONCURRENCY)
    expect(stored.size).toBe(acked.size + unanswered + 1)

    // The body files are exactly those of the stored rows that keep one: a file written for a
    // request the kill cut short was removed at the restart.
    const kept = [...stored].filter(([, { body }]) => body.length >= BODY_FILE_MIN_BYTES).map(([id]) => id)
    expect(kept.filter((id) => acked.has(id)).length).toBeGreaterThan(0)
    expect(readdirSync(join(dataDir, BODY_FILES_DIR)).sort()).toEqual(kept.sort())
  }, 180_000)
})

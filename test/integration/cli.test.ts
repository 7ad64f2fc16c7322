import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { connect, createServer, type Server } from 'node:net'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { NdjsonDelivery } from '../../electron/engine/export/delivery-export'
import { parseLock } from '../../electron/engine/store/data-dir-lock'
import { assertCliBuilt, killAllCli, type ListenProcess, pollUntil, REPO_ROOT, runCli, spawnCli, startListen, withTimeout } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * The real CLI (`node bin/hookscope.js`, built to out/main/cli.js) in child processes, on real
 * sockets and real SQLite files in temp folders.
 */

const temps: ReturnType<typeof makeTempDir>[] = []
const servers: Server[] = []

function tempDir(): string {
  const dir = makeTempDir('hookscope-cli-')
  temps.push(dir)
  return dir.path
}

beforeAll(() => assertCliBuilt())

afterEach(async () => {
  await killAllCli()
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
  for (const dir of temps.splice(0)) dir.remove()
})

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i))

interface RawReply {
  status: number
  headers: string
  body: Buffer
}

/**
 * A request written byte for byte on a plain socket, so header case, order and duplicates are
 * exactly what the test says (http.request would normalise some of them).
 */
function rawPost(baseUrl: string, path: string, headers: [string, string][], body: Buffer): Promise<RawReply> {
  const url = new URL(baseUrl)
  const head =
    `POST ${path} HTTP/1.1\r\n` +
    headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    const chunks: Buffer[] = []
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const split = all.indexOf('\r\n\r\n')
      const headText = all.subarray(0, split).toString('latin1')
      const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(headText)?.[1] ?? 0)
      resolve({ status, headers: headText, body: all.subarray(split + 4) })
    })
    socket.write(head, 'latin1')
    socket.end(body)
  })
}

async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; id: string }> {
  const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) })
  const json = (await response.json()) as { id: string }
  return { status: response.status, id: json.id }
}

async function uiInvoke<T = unknown>(listen: ListenProcess, method: string, params: unknown, token = listen.ui!.token) {
  const response = await fetch(`${listen.ui!.url}api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
    signal: AbortSignal.timeout(10_000)
  })
  return { status: response.status, body: (await response.json()) as { ok: boolean; value?: T; error?: { code: string } } }
}

/** The parts of an exported HAR document this file reads. */
interface HarEntry {
  startedDateTime: string
  request: { headers: { name: string; value: string }[]; postData?: { mimeType: string; text: string; _encoding?: string } }
  response: { status: number }
  _hookscope: { id: string }
}
interface HarDocument {
  log: { version: string; creator: unknown; entries: HarEntry[] }
}

async function exportNdjson(dataDir: string): Promise<NdjsonDelivery[]> {
  const result = await runCli(['export', '--data', dataDir, '--format', 'ndjson'])
  expect(result.stderr).toMatch(/exported \d+ deliveries/)
  expect(result.code).toBe(0)
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as NdjsonDelivery)
}

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.setTimeout(2_000, () => socket.destroy())
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
    socket.once('close', () => resolve(false))
  })
}

function listenOnFreePort(): Promise<number> {
  const server = createServer()
  servers.push(server)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : 0)
    })
  })
}

describe('bad flags and values exit 2 with a message on stderr', () => {
  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['listen', '--bogus'], /Unknown option '--bogus'/],
    [['listen', '--port', '70000'], /--port must be a port number from 0 to 65535, not "70000"/],
    [['listen', '--port', '80a'], /--port must be a port number/],
    [['listen', '--port', '-1'], /--port/],
    [['listen', '--port'], /Option '--port' argument is ambiguous\. Did you forget to specify the option argument for '--port'\?/],
    [['export', '--format', 'ndjson', '--out'], /Option '--out' argument is ambiguous/],
    [['listen', '--ui-port', '99999'], /--ui-port must be a port number/],
    [['listen', '--host', 'bad host!'], /--host must be a host name or IP address/],
    [['listen', '--no-ui=yes'], /--no-ui' does not take an argument/],
    [['listen', 'stray'], /Unexpected argument 'stray'/],
    [['export', '--format', 'xml'], /--format must be ndjson or har, not "xml"/],
    [['export'], /--format is required/],
    [['export', '--format', 'ndjson', '--bogus'], /Unknown option '--bogus'/]
  ])('hookscope %j', async (args, message) => {
    const dataDir = join(tempDir(), 'never-created')
    const withData = args[0] === 'listen' || args[0] === 'export' ? [...args, '--data', dataDir] : args
    const result = await runCli(withData)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).toContain('Usage:')
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(result.stdout).toBe('')
    // A refused command touches nothing.
    expect(existsSync(dataDir)).toBe(false)
  })

  it('export from a folder without a store exits 2 and creates nothing', async () => {
    const dataDir = tempDir()
    const result = await runCli(['export', '--data', dataDir, '--format', 'ndjson'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/no Hookscope data in/)
    expect(readdirSync(dataDir)).toEqual([])
  })

  it('help prints the usage on stdout and exits 0', async () => {
    const result = await runCli(['help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/hookscope listen \[--port 8080\]/)
    expect(result.stdout).toMatch(/hookscope export .*--format ndjson\|har/)
  })
})

describe('listen', { timeout: 90_000 }, () => {
  it('prints both URLs, one line per delivery, exits 0 on SIGTERM, and the export reproduces the bytes', async () => {
    const dataDir = tempDir()
    const listen = await startListen(dataDir)
    expect(listen.captureUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(listen.ui).not.toBeNull()
    expect(listen.ui!.port).not.toBe(listen.capturePort)
    expect(listen.ui!.token.length).toBeGreaterThanOrEqual(24)
    // The lock names the running process.
    expect(parseLock(readFileSync(join(dataDir, 'hookscope.lock'), 'utf8'))?.pid).toBe(listen.pid)

    // The UI URL really serves the API, with the printed token and only with it.
    const info = await uiInvoke(listen, 'app.info', {})
    expect(info.status).toBe(200)
    expect(info.body.value).toMatchObject({ name: 'Hookscope', host: 'headless', dataDir })
    expect((await uiInvoke(listen, 'app.info', {}, 'wrong')).status).toBe(401)
    // The built UI is served at the UI URL (when the renderer has been built), as a same-origin page.
    const page = await fetch(listen.ui!.url, { signal: AbortSignal.timeout(10_000) })
    if (existsSync(join(REPO_ROOT, 'out', 'renderer', 'index.html'))) {
      expect(page.status).toBe(200)
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
      expect(page.headers.get('access-control-allow-origin')).toBeNull()
    } else {
      expect(page.status).toBe(404)
    }
    await page.body?.cancel()

    // Header case, order and duplicates exactly as sent; every byte value in the body.
    const host = `127.0.0.1:${listen.capturePort}`
    const sentHeaders: [string, string][] = [
      ['Host', host],
      ['X-Zeta', 'last-letter first'],
      ['content-type', 'application/octet-stream'],
      ['X-Dup', 'one'],
      ['x-ALPHA', 'a'],
      ['X-Dup', 'two'],
      ['X-Signature', 'sha256=' + 'ab'.repeat(32)]
    ]
    const binary = await rawPost(listen.captureUrl, '/hooks/github?x=1&y=%20z', sentHeaders, ALL_BYTES)
    expect(binary.status).toBe(200)
    const binaryId = (JSON.parse(binary.body.toString()) as { id: string }).id
    expect(binaryId).toMatch(/^[0-9a-z]{26}$/)
    await listen.waitForLine(/^\d{2}:\d{2}:\d{2}\.\d{3}  POST \/hooks\/github\?x=1&y=%20z  256 B  200$/)

    const text = JSON.stringify({ event: 'push', emoji: 'héllo ✓' })
    const textReply = await post(`${listen.captureUrl}text`, text, { 'Content-Type': 'application/json' })
    expect(textReply.status).toBe(200)
    await listen.waitForLine(/  POST \/text  \d+ B  200$/)
    const empty = await fetch(`${listen.captureUrl}ping`, { signal: AbortSignal.timeout(10_000) })
    expect(empty.status).toBe(200)
    await listen.waitForLine(/  GET \/ping  0 B  200$/)

    const exit = await listen.stop('SIGTERM')
    expect(exit).toEqual({ code: 0, signal: null })
    expect(listen.stderr()).toContain('SIGTERM, stopping')
    expect(existsSync(join(dataDir, 'hookscope.lock'))).toBe(false)

    // NDJSON: oldest first, exact bytes, exact header list.
    const lines = await exportNdjson(dataDir)
    expect(lines.map((line) => line.id)).toEqual([binaryId, textReply.id, expect.any(String)])
    const first = lines[0]!
    expect(Object.keys(first).sort()).toEqual(
      [
        'id',
        'endpoint',
        'receivedAt',
        'method',
        'url',
        'httpVersion',
        'headers',
        'latin1Headers',
        'trailers',
        'latin1Trailers',
        'bodyBase64',
        'bodySize',
        'truncated',
        'remoteAddress',
        'remotePort',
        'responseStatus',
        'response',
        'tls',
        'attempts',
        'source'
      ].sort()
    )
    expect(first).toMatchObject({
      attempts: [],
      id: binaryId,
      endpoint: 'default',
      method: 'POST',
      url: `http://${host}/hooks/github?x=1&y=%20z`,
      httpVersion: '1.1',
      bodySize: 256,
      truncated: false,
      remoteAddress: '127.0.0.1',
      responseStatus: 200,
      source: { kind: 'listener' }
    })
    expect(Buffer.from(first.bodyBase64 as string, 'base64').equals(ALL_BYTES)).toBe(true)
    expect(first.headers).toEqual([...sentHeaders, ['Content-Length', '256'], ['Connection', 'close']])
    expect(Math.abs((first.receivedAt as number) - Date.now())).toBeLessThan(60_000)
    expect(Buffer.from(lines[1]!.bodyBase64 as string, 'base64').toString('utf8')).toBe(text)
    expect(lines[2]).toMatchObject({ method: 'GET', bodyBase64: '', bodySize: 0 })

    // HAR 1.2 to a file.
    const harFile = join(tempDir(), 'out.har')
    const har = await runCli(['export', '--data', dataDir, '--format', 'har', '--out', harFile])
    expect(har.code).toBe(0)
    expect(har.stdout).toBe('')
    expect(har.stderr).toContain(`exported 3 deliveries to ${harFile}`)
    expect(existsSync(`${harFile}.partial`)).toBe(false)
    const log = (JSON.parse(readFileSync(harFile, 'utf8')) as HarDocument).log
    expect(log.version).toBe('1.2')
    expect(log.creator).toEqual({ name: 'Hookscope', version: expect.any(String) })
    expect(log.entries).toHaveLength(3)
    const [binaryEntry, textEntry, getEntry] = log.entries as [HarEntry, HarEntry, HarEntry]
    expect(binaryEntry.request).toMatchObject({
      method: 'POST',
      url: `http://${host}/hooks/github?x=1&y=%20z`,
      httpVersion: 'HTTP/1.1',
      queryString: [
        { name: 'x', value: '1' },
        { name: 'y', value: ' z' }
      ],
      bodySize: 256
    })
    expect(binaryEntry.request.headers[1]).toEqual({ name: 'X-Zeta', value: 'last-letter first' })
    expect(binaryEntry.request.postData).toMatchObject({ mimeType: 'application/octet-stream', _encoding: 'base64' })
    expect(Buffer.from(binaryEntry.request.postData?.text ?? '', 'base64').equals(ALL_BYTES)).toBe(true)
    expect(new Date(binaryEntry.startedDateTime).toISOString()).toBe(binaryEntry.startedDateTime)
    expect(binaryEntry.response.status).toBe(200)
    expect(binaryEntry._hookscope.id).toBe(binaryId)
    expect(textEntry.request.postData).toEqual({ mimeType: 'application/json', text })
    expect(getEntry.request.postData).toBeUndefined()

    // HAR to standard output is the same document.
    const harOut = await runCli(['export', '--data', dataDir, '--format', 'har'])
    expect(harOut.code).toBe(0)
    expect(JSON.parse(harOut.stdout)).toEqual(JSON.parse(readFileSync(harFile, 'utf8')))
  })

  it('exits 0 on SIGINT, and deliveries survive a restart', async () => {
    const dataDir = tempDir()
    const first = await startListen(dataDir)
    const one = await post(first.captureUrl, 'one')
    expect(one.status).toBe(200)
    await first.waitForLine(/  POST \/  3 B  200$/)
    expect(await first.stop('SIGINT')).toEqual({ code: 0, signal: null })
    expect(first.stderr()).toContain('SIGINT, stopping')

    const second = await startListen(dataDir)
    const two = await post(`${second.captureUrl}again`, 'two!')
    expect(two.status).toBe(200)
    const page = await uiInvoke<{ items: { id: string }[] }>(second, 'deliveries.list', {})
    expect(page.status).toBe(200)
    expect(page.body.value?.items.map((item) => item.id)).toEqual([two.id, one.id])
    expect(await second.stop('SIGINT')).toEqual({ code: 0, signal: null })
  })

  it('--no-ui prints no UI line and opens no API port', async () => {
    const listen = await startListen(tempDir(), ['--no-ui'])
    expect(listen.ui).toBeNull()
    expect(listen.lines.some((line) => line.startsWith('UI:'))).toBe(false)
    expect((await post(listen.captureUrl, 'x')).status).toBe(200)
    expect(await listen.stop()).toEqual({ code: 0, signal: null })
  })

  it('answers requests in flight during SIGTERM and stores them', async () => {
    const dataDir = tempDir()
    const listen = await startListen(dataDir, ['--no-ui'])
    const url = new URL(listen.captureUrl)
    // Send the head and half the body, then signal, then the rest: the delivery must complete.
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    let received = ''
    const reply = new Promise<string>((resolve, reject) => {
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')))
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1')
      })
      socket.on('end', () => resolve(received))
      socket.on('error', reject)
    })
    // `Expect: 100-continue` makes the server tell us when it has parsed the head.
    socket.write(`POST /slow HTTP/1.1\r\nHost: ${url.host}\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\nhello`)
    await pollUntil(() => received.startsWith('HTTP/1.1 100 Continue'), 'the 100 Continue')
    const stopped = listen.stop('SIGTERM')
    // Once the listener refuses new connections it is stopping; then finish the request.
    await pollUntil(() => connectionRefused(Number(url.port)), 'the capture port to close')
    socket.end('world')
    const text = await reply
    expect(text).toMatch(/\r\n\r\nHTTP\/1\.1 200 /)
    expect(text).toMatch(/Connection: close/i)
    expect(await stopped).toEqual({ code: 0, signal: null })
    const lines = await exportNdjson(dataDir)
    expect(lines).toHaveLength(1)
    expect(Buffer.from(lines[0]!.bodyBase64, 'base64').toString()).toBe('helloworld')
  })
})

describe('store and port problems exit 1 and leave files untouched', { timeout: 60_000 }, () => {
  it('a hookscope.db of garbage bytes: "not a Hookscope database", bytes unchanged', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'hookscope.db')
    const garbage = Buffer.concat([Buffer.from('definitely not SQLite\n'), randomBytes(8192)])
    writeFileSync(file, garbage)

    const listen = await runCli(['listen', '--port', '0', '--ui-port', '0', '--data', dataDir])
    expect(listen.code).toBe(1)
    expect(listen.stderr).toMatch(/hookscope\.db is not a Hookscope database/)
    expect(listen.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(listen.stdout).not.toContain('Capture URL')
    expect(readFileSync(file).equals(garbage)).toBe(true)
    // No journal, WAL or lock left behind.
    expect(readdirSync(dataDir)).toEqual(['hookscope.db'])

    const exported = await runCli(['export', '--data', dataDir, '--format', 'ndjson'])
    expect(exported.code).toBe(1)
    expect(exported.stderr).toMatch(/not a Hookscope database/)
    expect(exported.stdout).toBe('')
    expect(readFileSync(file).equals(garbage)).toBe(true)
    expect(readdirSync(dataDir)).toEqual(['hookscope.db'])
  })

  it('an SQLite database of another application: refused, bytes unchanged', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, 'hookscope.db')
    const other = new Database(file)
    other.exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me');`)
    other.close()
    const before = readFileSync(file)

    const listen = await runCli(['listen', '--port', '0', '--no-ui', '--data', dataDir])
    expect(listen.code).toBe(1)
    expect(listen.stderr).toMatch(/not a Hookscope database/)
    expect(readFileSync(file).equals(before)).toBe(true)

    const exported = await runCli(['export', '--data', dataDir, '--format', 'har'])
    expect(exported.code).toBe(1)
    expect(exported.stderr).toMatch(/not a Hookscope database/)
    expect(readFileSync(file).equals(before)).toBe(true)
    expect(readdirSync(dataDir)).toEqual(['hookscope.db'])
  })

  it('a second listen on the same data folder exits 1 ("in use"); the first keeps working', async () => {
    const dataDir = tempDir()
    const first = await startListen(dataDir)
    const second = await runCli(['listen', '--port', '0', '--ui-port', '0', '--data', dataDir])
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(/in use by another Hookscope \(pid \d+\)/)
    expect(second.stderr).toContain(`pid ${first.pid}`)
    expect(second.stdout).not.toContain('Capture URL')
    expect(parseLock(readFileSync(join(dataDir, 'hookscope.lock'), 'utf8'))?.pid).toBe(first.pid)

    // The first is unharmed, and export reads the store while it runs.
    const reply = await post(first.captureUrl, 'still here')
    expect(reply.status).toBe(200)
    const lines = await exportNdjson(dataDir)
    expect(lines.map((line) => line.id)).toEqual([reply.id])
    expect(await first.stop()).toEqual({ code: 0, signal: null })
  })

  it('a capture port already taken exits 1 with a clear message', async () => {
    const dataDir = tempDir()
    const port = await listenOnFreePort()
    const result = await runCli(['listen', '--port', String(port), '--no-ui', '--data', dataDir])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(result.stdout).not.toContain('Capture URL')
    expect(existsSync(join(dataDir, 'hookscope.lock'))).toBe(false)
  })

  it('a UI port already taken exits 1 with a clear message', async () => {
    const dataDir = tempDir()
    const port = await listenOnFreePort()
    const result = await runCli(['listen', '--port', '0', '--ui-port', String(port), '--data', dataDir])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(existsSync(join(dataDir, 'hookscope.lock'))).toBe(false)
  })

  it('a --data path that is a file exits 1 with a clear message', async () => {
    const file = join(tempDir(), 'not-a-folder')
    writeFileSync(file, 'x')
    const result = await runCli(['listen', '--port', '0', '--no-ui', '--data', file])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/cannot use the data folder/)
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
    expect(readFileSync(file, 'utf8')).toBe('x')
  })
})

describe('export edge cases', { timeout: 60_000 }, () => {
  async function storeWithDeliveries(count: number, size: number): Promise<string> {
    const dataDir = tempDir()
    const listen = await startListen(dataDir, ['--no-ui'])
    for (let i = 0; i < count; i++) expect((await post(listen.captureUrl, randomBytes(size))).status).toBe(200)
    expect(await listen.stop()).toEqual({ code: 0, signal: null })
    return dataDir
  }

  it('--out in a missing folder exits 1 and writes nothing', async () => {
    const dataDir = await storeWithDeliveries(1, 10)
    const out = join(tempDir(), 'missing', 'x.ndjson')
    const result = await runCli(['export', '--data', dataDir, '--format', 'ndjson', '--out', out])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/cannot write .*x\.ndjson\.partial/)
    expect(result.stderr).not.toMatch(/unexpected failure|\n\s+at /)
  })

  it('--out pointing at the store itself is refused and the store is untouched', async () => {
    const dataDir = await storeWithDeliveries(1, 10)
    const db = join(dataDir, 'hookscope.db')
    const before = readFileSync(db)
    const result = await runCli(['export', '--data', dataDir, '--format', 'ndjson', '--out', db])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--out must not be the store itself/)
    expect(readFileSync(db).equals(before)).toBe(true)
    expect(await exportNdjson(dataDir)).toHaveLength(1)
  })

  it('a reader that goes away (`| head`) ends the export quietly', async () => {
    const dataDir = await storeWithDeliveries(60, 8 * 1024)
    const proc = spawnCli(['export', '--data', dataDir, '--format', 'ndjson'])
    await proc.waitForLine(/^\{"id":/)
    proc.child.stdout!.destroy()
    const exit = await withTimeout(proc.exited, 15_000)
    expect(exit).toEqual({ code: 0, signal: null })
    expect(proc.stderr()).not.toMatch(/unexpected failure|EPIPE/)
  })

  it('exports an empty store as zero lines and as a HAR with no entries', async () => {
    const dataDir = await storeWithDeliveries(0, 0)
    expect(await exportNdjson(dataDir)).toEqual([])
    const har = await runCli(['export', '--data', dataDir, '--format', 'har'])
    expect(har.code).toBe(0)
    expect(JSON.parse(har.stdout)).toMatchObject({ log: { version: '1.2', entries: [] } })
  })
})

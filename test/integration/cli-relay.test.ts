import { X509Certificate } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { remoteEngine } from '../../electron/cli/remote-engine'
import { ENGINE_FILE } from '../../electron/engine/http/engine-file'
import { assertCliBuilt, killAllCli, type ListenProcess, pollUntil, spawnCli, startListen, withTimeout } from '../helpers/cli-process'
import { rawRequest } from '../helpers/raw-http'
import { answer, closedPort, hang, held, type ReceivedRequest, startTarget, type TargetBehaviour, type TargetServer } from '../helpers/relay-targets'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * `replay`, `send` and the running-engine discovery (`ca export`, `cert client`... through a
 * running `hookscope listen`) as a user runs them: real CLI processes, temp data folders, real
 * loopback targets, the providers' libraries checking signatures.
 */

const PASSPHRASE = 'cli-relay test passphrase'
const WITH_PASSPHRASE = { HOOKSCOPE_PASSPHRASE: PASSPHRASE }
const WITHOUT_PASSPHRASE = { HOOKSCOPE_PASSPHRASE: '' }
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const STEP_TIMEOUT_MS = 20_000
/** A test runs several CLI processes one after another, each step bounded by STEP_TIMEOUT_MS. */
const SEVERAL_PROCESSES = { timeout: 150_000 }
const TIME = String.raw`\d\d:\d\d:\d\d\.\d{3}`

const temps: ReturnType<typeof makeTempDir>[] = []
const targets: TargetServer[] = []

function tempDir(): string {
  const dir = makeTempDir('hookscope-cli-relay-')
  temps.push(dir)
  return dir.path
}

async function target(behaviour: TargetBehaviour = answer(201, '{"ok":true}', [['Content-Type', 'application/json']])): Promise<TargetServer> {
  const server = await startTarget(behaviour)
  targets.push(server)
  return server
}

beforeAll(() => assertCliBuilt())

afterEach(async () => {
  await killAllCli()
  await Promise.all(targets.splice(0).map((server) => server.close()))
  for (const dir of temps.splice(0)) dir.remove()
})

interface Finished {
  code: number | null
  stdout: string
  stderr: string
}

async function run(args: string[], env: NodeJS.ProcessEnv = WITHOUT_PASSPHRASE): Promise<Finished> {
  const proc = spawnCli(args, { env })
  const exit = await withTimeout(proc.exited, STEP_TIMEOUT_MS)
  if (!exit) {
    await proc.kill()
    throw new Error(`hookscope ${args.join(' ')} did not finish within ${STEP_TIMEOUT_MS} ms\n${proc.stdout()}\n${proc.stderr()}`)
  }
  const result = { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() }
  expect(result.stderr).not.toMatch(/unexpected failure/)
  return result
}

function listen(dataDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = WITH_PASSPHRASE): Promise<ListenProcess> {
  return startListen(dataDir, ['--no-ui', ...extra], { env, timeoutMs: STEP_TIMEOUT_MS })
}

/** The running listen's API, as the commands reach it (its engine file). */
function engineOf(dataDir: string) {
  const file = JSON.parse(readFileSync(join(dataDir, ENGINE_FILE), 'utf8')) as { host: string; port: number; token: string }
  return remoteEngine(file.host, file.port, file.token)
}

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) })
  expect(response.status).toBe(200)
  return ((await response.json()) as { id: string }).id
}

function header(request: ReceivedRequest, name: string): string | undefined {
  return request.headers.find(([candidate]) => candidate.toLowerCase() === name)?.[1]
}

function headersOf(request: ReceivedRequest): Record<string, string> {
  return Object.fromEntries(request.headers.map(([name, value]) => [name.toLowerCase(), value]))
}

/** A printed attempt or an NDJSON export line: the fields these tests read, typed; the rest unknown. */
type JsonLine = {
  id: string
  attempts: { kind: string; status: number | null; error: { code: string } | null }[]
  [field: string]: unknown
}

function jsonLines(stdout: string): JsonLine[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as JsonLine)
}

describe('running-engine discovery', SEVERAL_PROCESSES, () => {
  it('listen (even --no-ui) publishes a 0600 engine file; ca export and cert client go through it; the file goes on stop', async () => {
    const dataDir = tempDir()
    const running = await listen(dataDir)
    const path = join(dataDir, ENGINE_FILE)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: running.pid, host: '127.0.0.1' })

    const ca = await run(['ca', 'export', '--data', dataDir])
    expect(ca.code).toBe(0)
    expect(new X509Certificate(ca.stdout).ca).toBe(true)
    const outDir = tempDir()
    const cert = await run(['cert', 'client', '--name', 'live', '--out', outDir, '--data', dataDir], WITH_PASSPHRASE)
    expect(cert.code).toBe(0)
    expect(cert.stdout).toContain(`https://localhost:${running.capturePort}/`)
    expect(new X509Certificate(readFileSync(join(outDir, 'live.crt.pem'))).checkIssued(new X509Certificate(ca.stdout))).toBe(true)
    // Both went through the running engine: it logged the certificates it stored.
    expect(running.stderr()).toMatch(/certificate stored .*kind=client/)

    expect((await running.stop()).code).toBe(0)
    expect(existsSync(path)).toBe(false)
  })

  it('a file left by a killed listen is stale: the next command opens the folder itself and removes it', async () => {
    const dataDir = tempDir()
    const first = await listen(dataDir)
    expect((await run(['ca', 'export', '--data', dataDir], WITH_PASSPHRASE)).code).toBe(0)
    await first.kill()
    expect(existsSync(join(dataDir, ENGINE_FILE))).toBe(true)

    const ca = await run(['ca', 'export', '--data', dataDir])
    expect(ca.code).toBe(0)
    expect(new X509Certificate(ca.stdout).ca).toBe(true)
    expect(existsSync(join(dataDir, ENGINE_FILE))).toBe(false)
  })

  it('send --data unlocks a running listen whose keyring is locked with HOOKSCOPE_PASSPHRASE; a wrong one is refused', async () => {
    const dataDir = tempDir()
    const app = await target(answer(204))
    // A keyring with a key, then a listen that runs without the passphrase (keyring locked).
    const setup = await listen(dataDir)
    await engineOf(dataDir).invoke('keys.create', { name: 'sw', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const keyId = (await engineOf(dataDir).invoke('keys.list', {}))[0]!.id
    expect((await setup.stop()).code).toBe(0)
    const running = await listen(dataDir, [], WITHOUT_PASSPHRASE)
    expect((await engineOf(dataDir).invoke('vault.status', {})).state).toBe('locked')

    const args = ['send', '--url', `${app.url}/hooks`, '--scheme', 'standard-webhooks', '--key', keyId, '--data', dataDir, '--json']
    const wrong = await run(args, { HOOKSCOPE_PASSPHRASE: 'not the passphrase' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/keyring of the running `hookscope listen` unlocked, and HOOKSCOPE_PASSPHRASE did not unlock it/)
    expect(app.requests).toHaveLength(0)

    const sent = await run(args, WITH_PASSPHRASE)
    expect(sent.code).toBe(0)
    expect(sent.stderr).toContain('unlocked the keyring of the running hookscope listen; it stays unlocked until that listen stops')
    expect((await engineOf(dataDir).invoke('vault.status', {})).state).toBe('unlocked')
    const [attempt] = jsonLines(sent.stdout)
    expect(attempt).toMatchObject({ kind: 'send', status: 204, resignedWith: keyId, verdict: { status: 'valid' } })
    const [request] = await app.waitForRequests(1)
    expect(() => new Webhook(SECRET).verify(request!.body.toString(), headersOf(request!))).not.toThrow()
    // Stored by the running engine as an attempt of kind send.
    const { items } = await engineOf(dataDir).invoke('attempts.list', { kind: 'send' })
    expect(items.map((item) => item.id)).toEqual([attempt!.id])
    expect((await running.stop()).code).toBe(0)
  })
})

describe('hookscope replay', SEVERAL_PROCESSES, () => {
  it('replays through the running listen as-is (same bytes, headers in order and case); edited with --header and --body; one line each', async () => {
    const dataDir = tempDir()
    const app = await target()
    const running = await listen(dataDir)
    const body = '{"type":"invoice.paid","n":1}\n'
    const first = await post(`${running.captureUrl}hooks/a?x=1`, body, { 'X-Odd-CASE': 'kept', 'Content-Type': 'application/json' })
    const second = await post(`${running.captureUrl}hooks/b`, 'second')

    const asIs = await run(['replay', first, second, '--to', app.url, '--data', dataDir])
    expect(asIs.code).toBe(0)
    const lines = asIs.stdout.trim().split('\n')
    expect(lines[0]).toMatch(new RegExp(`^${first}  POST ${app.url}/hooks/a\\?x=1  → 201 in [\\d.]+ ms  verdict unchecked`))
    expect(lines[1]).toMatch(new RegExp(`^${second}  POST ${app.url}/hooks/b  → 201 in`))
    const [a, b] = await app.waitForRequests(2)
    expect(a!.body.toString()).toBe(body)
    expect(a!.headers.map(([name]) => name)).toEqual(expect.arrayContaining(['X-Odd-CASE']))
    expect(header(a!, 'x-odd-case')).toBe('kept')
    expect(b!.body.toString()).toBe('second')

    const bodyFile = join(tempDir(), 'edited.json')
    writeFileSync(bodyFile, '{"edited":true}')
    const edited = await run([
      'replay',
      first,
      '--to',
      `${app.url}/elsewhere`,
      '--header',
      'X-Odd-Case: changed',
      '--header',
      'X-Added: yes',
      '--body',
      bodyFile,
      '--json',
      '--data',
      dataDir
    ])
    expect(edited.code).toBe(0)
    const [attempt] = jsonLines(edited.stdout)
    expect(attempt).toMatchObject({ kind: 'replay', deliveryId: first, edited: true, status: 201, target: `${app.url}/elsewhere` })
    const [, , c] = await app.waitForRequests(3)
    expect(c!.body.toString()).toBe('{"edited":true}')
    expect(header(c!, 'x-odd-case')).toBe('changed')
    expect(header(c!, 'x-added')).toBe('yes')
    expect(header(c!, 'content-length')).toBe('15')

    // Every replay is an attempt of its delivery, in the running engine's store.
    const { items } = await engineOf(dataDir).invoke('attempts.list', { deliveryId: first })
    expect(items.filter((item) => item.kind === 'replay')).toHaveLength(2)
    expect((await running.stop()).code).toBe(0)

    // No engine running: replay opens the folder itself.
    const alone = await run(['replay', second, '--to', app.url, '--data', dataDir])
    expect(alone.code).toBe(0)
    await app.waitForRequests(4)

    // The export carries each delivery's attempts, oldest first.
    const exported = await run(['export', '--data', dataDir, '--format', 'ndjson'])
    expect(exported.code).toBe(0)
    const byId = new Map(jsonLines(exported.stdout).map((line) => [line.id, line]))
    expect(byId.get(first)!.attempts).toEqual([
      {
        at: expect.any(Number),
        kind: 'replay',
        state: 'succeeded',
        target: `${app.url}/hooks/a?x=1`,
        status: 201,
        durationMs: expect.any(Number),
        error: null,
        resignedWith: null
      },
      {
        at: expect.any(Number),
        kind: 'replay',
        state: 'succeeded',
        target: `${app.url}/elsewhere`,
        status: 201,
        durationMs: expect.any(Number),
        error: null,
        resignedWith: null
      }
    ])
    expect(byId.get(second)!.attempts.map((attempt: { kind: string }) => attempt.kind)).toEqual(['replay', 'replay'])
  })

  it('--resign signs afresh with a keyring key: the provider library verifies what the target got', async () => {
    const dataDir = tempDir()
    const app = await target(answer(200))
    const running = await listen(dataDir)
    await engineOf(dataDir).invoke('keys.create', { name: 'sw', scheme: 'standard-webhooks', material: { secret: SECRET } })
    const keyId = (await engineOf(dataDir).invoke('keys.list', {}))[0]!.id
    // Captured with a stale signature (an hour old): as-is it would not verify any more.
    const payload = '{"type":"user.created"}'
    const stale = Math.floor(Date.now() / 1000) - 3600
    const signature = new Webhook(SECRET).sign('msg_old', new Date(stale * 1000), payload)
    const id = await post(running.captureUrl, payload, { 'webhook-id': 'msg_old', 'webhook-timestamp': String(stale), 'webhook-signature': signature })

    const result = await run(['replay', id, '--to', app.url, '--resign', keyId, '--data', dataDir])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(new RegExp(`→ 200 in [\\d.]+ ms  signed with ${keyId}  verdict valid`))
    const [request] = await app.waitForRequests(1)
    expect(header(request!, 'webhook-id')).not.toBe('msg_old')
    expect(() => new Webhook(SECRET).verify(request!.body.toString(), headersOf(request!))).not.toThrow()
    expect((await running.stop()).code).toBe(0)
  })

  it('exits 1 when an answer is not 2xx or there is none, saying why', async () => {
    const dataDir = tempDir()
    const failing = await target(answer(500, 'boom'))
    const running = await listen(dataDir)
    const id = await post(running.captureUrl, 'x')
    const five = await run(['replay', id, '--to', failing.url, '--data', dataDir])
    expect(five.code).toBe(1)
    expect(five.stdout).toMatch(/→ 500 in [\d.]+ ms/)
    const port = await closedPort()
    const refused = await run(['replay', id, '--to', `http://127.0.0.1:${port}`, '--data', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(`→ CONNECTION_REFUSED in`)
    expect(refused.stdout).toContain(`nothing listens on 127.0.0.1:${port}`)
    const [line] = jsonLines((await run(['export', '--data', dataDir, '--format', 'ndjson'])).stdout)
    expect(line!.attempts.map((attempt: Record<string, unknown>) => [attempt.status, (attempt.error as { code: string } | null)?.code ?? null])).toEqual([
      [500, null],
      [null, 'CONNECTION_REFUSED']
    ])
    // No --to and no forwarding rule: the attempt says there is nowhere to send it.
    const nowhere = await run(['replay', id, '--data', dataDir])
    expect(nowhere.code).toBe(2)
    expect(nowhere.stderr).toMatch(new RegExp(`^hookscope: ${id}: .*rule`, 'm'))
    expect((await running.stop()).code).toBe(0)
  })

  it.each([
    [[], /give the id of at least one delivery/],
    [['no/such'], /"no\/such" is not a delivery id/],
    [['abc', '--to', 'ftp://example.test'], /--to must be an http:\/\/ or https:\/\/ URL/],
    [['abc', '--to', 'http://u:p@127.0.0.1:1'], /--to must not carry a user name or password/],
    [['abc', '--header', 'no colon'], /--header must look like 'Name: value'/],
    [['abc', '--body', '/nonexistent/body.json'], /--body: cannot read \/nonexistent\/body.json \(ENOENT\)/],
    [['abc', '--resign', 'not a key!'], /--resign must be a keyring key id/],
    [['abc', '--bogus'], /Unknown option '--bogus'/]
  ])('replay %j exits 2 with a clear message', async (args, message) => {
    const result = await run(['replay', ...args, '--data', tempDir()])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
  })

  it('an unknown id exits 2 before anything is sent', async () => {
    const dataDir = tempDir()
    const app = await target()
    const running = await listen(dataDir)
    const id = await post(running.captureUrl, 'x')
    const result = await run(['replay', id, 'zzzzzzzz', '--to', app.url, '--data', dataDir])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`no delivery zzzzzzzz in ${dataDir}`)
    expect(app.requests).toHaveLength(0)
    expect((await running.stop()).code).toBe(0)
  })
})

describe('hookscope send', SEVERAL_PROCESSES, () => {
  it('--keyring FILE: N test events, each with a fresh id and a signature the provider library verifies; nothing stored', async () => {
    const dir = tempDir()
    const app = await target(answer(200))
    const keyring = join(dir, 'keyring.json')
    writeFileSync(keyring, JSON.stringify({ keys: [{ id: 'sw', scheme: 'standard-webhooks', secret: SECRET }] }))
    const result = await run([
      'send',
      '--url',
      `${app.url}/hooks`,
      '--scheme',
      'standard-webhooks',
      '--key',
      'sw',
      '--keyring',
      keyring,
      '--count',
      '3',
      '--interval',
      '5'
    ])
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines).toHaveLength(3)
    for (const [index, line] of lines.entries()) {
      expect(line).toMatch(new RegExp(`^send ${index + 1}/3  POST ${app.url}/hooks  → 200 in [\\d.]+ ms  signed with sw  verdict valid`))
    }
    const requests = await app.waitForRequests(3)
    for (const request of requests) expect(() => new Webhook(SECRET).verify(request.body.toString(), headersOf(request))).not.toThrow()
    expect(new Set(requests.map((request) => header(request, 'webhook-id'))).size).toBe(3)
    expect(existsSync(join(dir, 'hookscope.db'))).toBe(false)

    const event = await run([
      'send',
      '--url',
      app.url,
      '--scheme',
      'stripe',
      '--key',
      'st',
      '--keyring',
      writeKeyring(dir, { id: 'st', scheme: 'stripe', secret: 'whsec_stripe_test' }),
      '--event',
      'invoice.paid',
      '--json'
    ])
    expect(event.code).toBe(0)
    const [request] = (await app.waitForRequests(4)).slice(3)
    expect(JSON.parse(request!.body.toString())).toMatchObject({ type: 'invoice.paid' })
  })

  it('exits 1 when the target does not answer 2xx', async () => {
    const dir = tempDir()
    const failing = await target(answer(503))
    const keyring = writeKeyring(dir, { id: 'sw', scheme: 'standard-webhooks', secret: SECRET })
    const result = await run(['send', '--url', failing.url, '--scheme', 'standard-webhooks', '--key', 'sw', '--keyring', keyring])
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/^send  POST .* → 503 in/)
  })

  it.each([
    [[], /--url URL is required/],
    [['--url', 'ftp://x'], /--url must be an http:\/\/ or https:\/\/ URL/],
    [['--url', 'mailto:x'], /--url must be a URL such as http:\/\/127.0.0.1:3000/],
    [['--url', 'localhost:3000'], /--scheme is required/],
    [['--url', 'localhost:3000', '--scheme', 'nope'], /--scheme: unknown scheme "nope" \(known: standard-webhooks, /],
    [['--url', 'localhost:3000', '--scheme', 'stripe'], /--key KEY_ID is required/],
    [['--url', 'localhost:3000', '--scheme', 'stripe', '--key', 'k', '--data', 'd', '--keyring', 'k.json'], /give --data DIR or --keyring FILE, not both/],
    [['--url', 'localhost:3000', '--scheme', 'stripe', '--key', 'k', '--count', '0'], /--count must be a whole number from 1 to 1000, not "0"/],
    [['--url', 'localhost:3000', '--scheme', 'stripe', '--key', 'k', '--count', '2.5'], /--count must be a whole number/],
    [['--url', 'localhost:3000', '--scheme', 'stripe', '--key', 'k', '--interval', '-1'], /--interval/],
    [['--url', 'localhost:3000', '--scheme', 'stripe', '--key', 'k', '--event', 'a', '--body', 'b'], /give --event TYPE or --body FILE, not both/],
    [['--url', 'localhost:3000', '--scheme', 'stripe', '--key', 'k', '--keyring', '/nonexistent.json'], /cannot read the keyring file \/nonexistent.json/]
  ])('send %j exits 2 with a clear message', async (args, message) => {
    const result = await run(['send', ...args])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
  })

  it('a key missing from the keyring file, a key of another scheme and an unknown event exit 2 before anything is sent', async () => {
    const dir = tempDir()
    const app = await target()
    const keyring = writeKeyring(dir, { id: 'sw', scheme: 'standard-webhooks', secret: SECRET })
    const base = ['send', '--url', app.url, '--keyring', keyring]
    const missing = await run([...base, '--scheme', 'standard-webhooks', '--key', 'other'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--key: no key "other" in .*keyring-sw.json \(it has: sw\)/)
    const scheme = await run([...base, '--scheme', 'stripe', '--key', 'sw'])
    expect(scheme.code).toBe(2)
    expect(scheme.stderr).toMatch(/key "sw" is a standard-webhooks key, not stripe/)
    const event = await run([...base, '--scheme', 'standard-webhooks', '--key', 'sw', '--event', 'no.such.event'])
    expect(event.code).toBe(2)
    expect(event.stderr).toMatch(/no standard-webhooks event template "no.such.event"/)
    expect(app.requests).toHaveLength(0)
  })
})

function writeKeyring(dir: string, key: Record<string, string>): string {
  const path = join(dir, `keyring-${key.id}.json`)
  writeFileSync(path, JSON.stringify({ keys: [key] }))
  return path
}

describe('hookscope listen --forward-to', SEVERAL_PROCESSES, () => {
  it("passthrough: the sender gets the target's answer (status, headers in order and case, body bytes); the line ends with its status and time", async () => {
    const dataDir = tempDir()
    const body = Buffer.from([0x7b, 0x22, 0xff, 0x00, 0x22, 0x7d])
    const app = await target(
      answer(201, body, [
        ['X-App-CASE', 'v1'],
        ['Content-Type', 'application/octet-stream'],
        ['x-second', 'v2']
      ])
    )
    const running = await listen(dataDir, ['--forward-to', app.url])
    await running.waitForLine(new RegExp(`^Forwarding to ${app.url}/ \\(passthrough, timeout 30 s\\)$`))
    const { response } = await rawRequest(running.capturePort, [
      'POST /hooks/x?y=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Sender-Case: s\r\nContent-Length: 4\r\nConnection: close\r\n\r\nping'
    ])
    const [head, ...rest] = response.split('\r\n\r\n')
    expect(head!.split('\r\n')[0]).toBe('HTTP/1.1 201 Created')
    const names = head!
      .split('\r\n')
      .slice(1)
      .map((line) => line.slice(0, line.indexOf(':')))
    expect(names.filter((name) => ['X-App-CASE', 'Content-Type', 'x-second'].includes(name))).toEqual(['X-App-CASE', 'Content-Type', 'x-second'])
    expect(Buffer.from(rest.join('\r\n\r\n'), 'latin1').equals(body)).toBe(true)
    const [received] = await app.waitForRequests(1)
    expect(received).toMatchObject({ method: 'POST', url: '/hooks/x?y=1' })
    expect(received!.body.toString()).toBe('ping')
    expect(header(received!, 'x-sender-case')).toBe('s')
    await running.waitForLine(new RegExp(`^${TIME}  POST /hooks/x\\?y=1  4 B(?:  \\d{3})?  → 201 in [\\d.]+ ms$`))

    // The delivery is captured with the answer the sender got, and its attempt.
    expect((await running.stop()).code).toBe(0)
    const [line] = jsonLines((await run(['export', '--data', dataDir, '--format', 'ndjson'])).stdout)
    expect(line).toMatchObject({ responseStatus: 201, attempts: [{ kind: 'relay', state: 'succeeded', status: 201, target: `${app.url}/hooks/x?y=1` }] })
  })

  it('passthrough: a 500 is passed on; a target that is down or hangs past --forward-timeout gets the 502 fallback naming the cause', async () => {
    const dataDir = tempDir()
    let behaviour: TargetBehaviour = answer(500, 'boom')
    const app = await target((req, res, received) => behaviour(req, res, received))
    const running = await listen(dataDir, ['--forward-to', app.url, '--forward-timeout', '0.5'])
    const five = await fetch(`${running.captureUrl}five`, { method: 'POST', body: 'x' })
    expect(five.status).toBe(500)
    expect(await five.text()).toBe('boom')
    await running.waitForLine(new RegExp(`^${TIME}  POST /five  1 B(?:  \\d{3})?  → 500 in [\\d.]+ ms$`))

    behaviour = hang
    const slow = await fetch(`${running.captureUrl}hang`, { method: 'POST', body: 'x' })
    expect(slow.status).toBe(502)
    expect(await slow.json()).toMatchObject({ error: { code: 'TIMEOUT' } })
    await running.waitForLine(new RegExp(`^${TIME}  POST /hang  1 B(?:  \\d{3})?  → TIMEOUT in [\\d.]+ ms: `))

    await app.close()
    const down = await fetch(`${running.captureUrl}down`, { method: 'POST', body: 'x' })
    expect(down.status).toBe(502)
    expect(await down.json()).toMatchObject({
      error: { code: 'CONNECTION_REFUSED', message: `nothing listens on 127.0.0.1:${app.port} — is your app running?` }
    })
    await running.waitForLine(
      new RegExp(`^${TIME}  POST /down  1 B(?:  \\d{3})?  → CONNECTION_REFUSED in [\\d.]+ ms: nothing listens on 127\\.0\\.0\\.1:${app.port}`)
    )
    expect((await running.stop()).code).toBe(0)
  })

  it('--forward-timeout 0 waits for as long as the target takes', async () => {
    const dataDir = tempDir()
    const slow = held(200, 'late')
    const app = await target(slow.behaviour)
    const running = await listen(dataDir, ['--forward-to', app.url, '--forward-timeout', '0'])
    await running.waitForLine(/^Forwarding to .* \(passthrough, timeout none\)$/)
    expect((await engineOf(dataDir).invoke('forwarding.get', { endpointId: 'default' })).rules[0]).toMatchObject({ timeoutMs: 0, mode: 'passthrough' })
    const answered = fetch(`${running.captureUrl}wait`, { method: 'POST', body: 'x' })
    await slow.waitForHeld(1)
    // On the wire, no deadline: the attempt stays in flight until the target answers.
    const inFlight = await pollUntil(async () => (await engineOf(dataDir).invoke('attempts.list', { kind: 'relay' })).items[0], 'the attempt in the store')
    expect(inFlight).toMatchObject({ state: 'in-flight', status: null })
    slow.release()
    const response = await answered
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('late')
    expect((await running.stop()).code).toBe(0)
  })

  it('ack-first: after a real SIGKILL with one attempt on the wire and a retry pending, nothing is lost and nothing is sent twice but the interrupted attempt', async () => {
    const dataDir = tempDir()
    let failing = true
    const onWire = held(200, 'late')
    const app = await target((req, res, received) => {
      if (received.url === '/held' && !failing) return answer(200, 'ok')(req, res, received)
      if (received.url === '/held') return onWire.behaviour(req, res, received)
      if (received.url === '/fail' && failing) return answer(503, 'down')(req, res, received)
      answer(200, 'ok')(req, res, received)
    })
    const args = ['--forward-to', app.url, '--forward-mode', 'ack-first', '--retry', 'fast']
    const first = await listen(dataDir, args)
    await first.waitForLine(/^Forwarding to .* \(ack-first, retry fast, timeout 30 s\)$/)
    const okId = await post(`${first.captureUrl}ok`, 'a')
    await first.waitForLine(new RegExp(`^${TIME}  POST /ok  1 B  200  → 200 in`))
    const heldId = await post(`${first.captureUrl}held`, 'b')
    const failId = await post(`${first.captureUrl}fail`, 'c')
    await onWire.waitForHeld(1)
    await first.waitForLine(new RegExp(`^${TIME}  POST /fail  1 B  200  → 503 in`))
    // The retry is stored as scheduled before the crash.
    await pollUntil(
      async () => (await engineOf(dataDir).invoke('attempts.list', { deliveryId: failId })).items.some((item) => item.state === 'scheduled'),
      'the scheduled retry'
    )
    await first.kill()

    failing = false
    const second = await listen(dataDir, args)
    const settled = async () => {
      const engine = engineOf(dataDir)
      const chains = await Promise.all([okId, heldId, failId].map(async (id) => (await engine.invoke('attempts.list', { deliveryId: id })).items))
      return chains.every((chain) => chain.length > 0 && chain.every((item) => item.state !== 'scheduled' && item.state !== 'in-flight')) ? chains : null
    }
    const [okChain, heldChain, failChain] = await pollUntil(settled, 'every relay chain finished', STEP_TIMEOUT_MS)
    const states = (chain: { number: number; state: string }[]) => [...chain].sort((a, b) => a.number - b.number).map((item) => item.state)
    expect(states(okChain!)).toEqual(['succeeded'])
    expect(states(heldChain!)).toEqual(['interrupted', 'succeeded'])
    expect(states(failChain!)).toEqual(['failed', 'succeeded'])
    // Nothing pending is left, so these counts are final.
    const sent = (path: string) => app.requests.filter((request) => request.url === path).length
    expect([sent('/ok'), sent('/held'), sent('/fail')]).toEqual([1, 2, 2])
    expect((await second.stop()).code).toBe(0)
    const exported = jsonLines((await run(['export', '--data', dataDir, '--format', 'ndjson'])).stdout)
    expect(exported.map((line) => line.id).sort()).toEqual([okId, heldId, failId].sort())
  })

  it('ack-first: a SIGKILL right after the senders got their 2xx, before the target was reached: after a restart each delivery is forwarded exactly once (plus the re-send of an interrupted attempt)', async () => {
    const dataDir = tempDir()
    let holding = true
    const onWire = held(200, 'late')
    const app = await target((req, res, received) => (holding ? onWire.behaviour(req, res, received) : answer(200, 'ok')(req, res, received)))
    const args = ['--forward-to', app.url, '--forward-mode', 'ack-first', '--retry', 'fast']
    const first = await listen(dataDir, args)
    await first.waitForLine(/^Forwarding to .* \(ack-first, retry fast, timeout 30 s\)$/)
    // More than the relay sends at once (16): some wait for a slot, acknowledged but not sent.
    const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => post(`${first.captureUrl}d${n}`, String(n))))
    // Killed the moment the last sender has its answer: no waiting for the relay to get anywhere.
    await first.kill()
    const sentBefore = app.requests.length

    holding = false
    const second = await listen(dataDir, args)
    const settled = async () => {
      const engine = engineOf(dataDir)
      const chains = await Promise.all(ids.map(async (id) => (await engine.invoke('attempts.list', { deliveryId: id })).items))
      return chains.every((chain) => chain.length > 0 && chain.every((item) => item.state !== 'scheduled' && item.state !== 'in-flight')) ? chains : null
    }
    const chains = await pollUntil(settled, 'every relay chain finished', STEP_TIMEOUT_MS)
    const before = app.requests.slice(0, sentBefore)
    const after = app.requests.slice(sentBefore)
    chains.forEach((chain, n) => {
      const states = [...chain].sort((a, b) => a.number - b.number).map((item) => item.state)
      // One success; anything before it was on the wire when the process died.
      expect(states.at(-1)).toBe('succeeded')
      expect(states.slice(0, -1).every((state) => state === 'interrupted')).toBe(true)
      // Sent once after the restart; before it, only as the attempts recorded interrupted.
      expect(after.filter((request) => request.url === `/d${n}`)).toHaveLength(1)
      expect(before.filter((request) => request.url === `/d${n}`).length).toBeLessThanOrEqual(states.length - 1)
    })
    expect(after).toHaveLength(ids.length)
    expect((await second.stop()).code).toBe(0)
  })

  it('ack-first: a SIGKILL right after a failed attempt (500): after a restart the retry is sent', async () => {
    const dataDir = tempDir()
    let failing = true
    const app = await target((req, res, received) => (failing ? answer(500, 'boom') : answer(200, 'ok'))(req, res, received))
    const args = ['--forward-to', app.url, '--forward-mode', 'ack-first', '--retry', 'fast']
    const first = await listen(dataDir, args)
    const failId = await post(`${first.captureUrl}fail`, 'c')
    // The line is printed as the failure is known: killed then, without waiting for any row.
    await first.waitForLine(new RegExp(`^${TIME}  POST /fail  1 B  200  → 500 in`))
    await first.kill()

    failing = false
    const second = await listen(dataDir, args)
    const settled = async () => {
      const chain = (await engineOf(dataDir).invoke('attempts.list', { deliveryId: failId })).items
      return chain.some((item) => item.state === 'succeeded') && chain.every((item) => item.state !== 'scheduled' && item.state !== 'in-flight') ? chain : null
    }
    const chain = await pollUntil(settled, 'the retry succeeded', STEP_TIMEOUT_MS)
    const states = [...chain].sort((a, b) => a.number - b.number).map((item) => item.state)
    // Killed before the failure was stored, the attempt is re-sent as interrupted; after, its stored retry runs.
    expect([
      ['failed', 'succeeded'],
      ['interrupted', 'succeeded']
    ]).toContainEqual(states)
    expect(app.requests.filter((request) => request.url === '/fail')).toHaveLength(2)
    expect((await second.stop()).code).toBe(0)
  })

  it.each([
    [['--forward-mode', 'ack-first'], /--forward-mode needs --forward-to URL/],
    [['--retry', 'fast'], /--retry needs --forward-to URL/],
    [['--forward-to', 'ftp://x'], /--forward-to must be an http:\/\/ or https:\/\/ URL/],
    [['--forward-to', 'localhost:3000', '--forward-mode', 'sometimes'], /--forward-mode must be passthrough or ack-first/],
    [['--forward-to', 'localhost:3000', '--retry', 'fast'], /--retry applies to --forward-mode ack-first/],
    [['--forward-to', 'localhost:3000', '--forward-mode', 'ack-first', '--retry', 'often'], /--retry must be provider, fast or none/],
    [['--forward-to', 'localhost:3000', '--forward-timeout', 'soon'], /--forward-timeout must be seconds \(0 waits forever\)/]
  ])('listen %j exits 2 with a clear message, listening on nothing', async (args, message) => {
    const result = await run(['listen', '--port', '0', '--no-ui', '--data', tempDir(), ...args])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stdout).not.toContain('Capture URL')
  })
})

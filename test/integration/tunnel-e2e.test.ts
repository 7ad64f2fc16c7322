import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Delivery } from '../../shared/model/delivery'
import { assertCliBuilt, type CliProcess, killAllCli, type ListenProcess, pollUntil, runCli, spawnCli, startListen } from '../helpers/cli-process'
import { startRedis, type TestRedis } from '../helpers/redis-server'
import { type Channel, cleanupList, httpRequest } from '../helpers/relay'
import { startRawTarget } from '../helpers/relay-targets'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * End to end with the real processes: a sender posts to `hookscope relay-server`, the tunnel
 * client in `hookscope listen --tunnel` captures it through the engine and its answer goes back.
 */
let redis: TestRedis
const cleanups = cleanupList()
beforeAll(async () => {
  assertCliBuilt()
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})
afterEach(async () => {
  await killAllCli()
  await cleanups.run()
})

function tempDir(): string {
  const dir = makeTempDir('hookscope-tunnel-')
  cleanups.add(async () => dir.remove())
  return dir.path
}

async function relayServer(args: string[] = []): Promise<{ proc: CliProcess; url: string }> {
  const proc = spawnCli(['relay-server', '--open', '--port', '0', '--rate-limit', '0', ...args])
  const line = await proc.waitForLine(/^Relay server on /, 30_000)
  return { proc, url: line.slice('Relay server on '.length) }
}

async function createChannel(relayUrl: string): Promise<Channel> {
  const reply = await httpRequest(`${relayUrl}/channels`, { body: Buffer.alloc(0) })
  expect(reply.status).toBe(201)
  return JSON.parse(reply.body.toString()) as Channel
}

async function invoke(listen: ListenProcess, method: string, params: unknown): Promise<unknown> {
  const response = await fetch(`${listen.ui!.url}api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${listen.ui!.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
    signal: AbortSignal.timeout(20_000)
  })
  const reply = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown }
  if (!reply.ok) throw new Error(`${method}: ${JSON.stringify(reply.error)}`)
  return reply.value
}

interface Exported {
  id: string
  url: string
  headers: [string, string][]
  bodyBase64: string
  bodySize: number
  truncated: boolean
}

async function exportAll(dataDir: string): Promise<Exported[]> {
  const exported = await runCli(['export', '--data', dataDir, '--format', 'ndjson'], 120_000)
  expect(exported.code, exported.stderr).toBe(0)
  return exported.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Exported)
}

describe('tunnel end to end', () => {
  it('carries requests byte-exact through relay-server and listen --tunnel, a 30 MiB body and duplicate headers included, and the answer back', async () => {
    // A 30 MiB round trip on a loaded machine can take a while: the sender waits for the real answer.
    const relay = await relayServer(['--max-body', String(40 * 1024 * 1024), '--response-timeout', '240'])
    const channel = await createChannel(relay.url)
    const dataDir = tempDir()
    const listen = await startListen(dataDir, ['--tunnel', channel.url, '--tunnel-token', channel.clientToken], { timeoutMs: 30_000 })
    await listen.waitForLine(new RegExp(`^Tunnel connected: ${channel.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), 30_000)
    await invoke(listen, 'endpoints.update', {
      id: 'default',
      patch: {
        maxBodyBytes: 40 * 1024 * 1024,
        response: {
          status: 201,
          headers: [
            ['X-Dup', 'one'],
            ['x-dup', 'two'],
            ['X-Latin1', 'caf\xe9']
          ],
          body: 'stored'
        }
      }
    })
    // The token went nowhere it should not: not into the output, not into the API.
    const tunnels = (await invoke(listen, 'tunnels.list', {})) as { config: { hasToken: boolean; url: string } }[]
    expect(tunnels).toEqual([expect.objectContaining({ config: expect.objectContaining({ url: channel.url, hasToken: true }) })])
    expect(JSON.stringify(tunnels)).not.toContain(channel.clientToken)

    const small = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const sent: [string, string][] = [
      ['X-Signature', 'a'],
      ['x-signature', 'b'],
      ['X-Latin1', 'caf\xe9'],
      ['Content-Type', 'application/octet-stream']
    ]
    const first = await httpRequest(`${channel.url}/hooks/one?x=1`, { headers: sent, body: small })
    expect(first.status).toBe(201)
    expect(first.headers.filter(([name]) => /^(x-dup|x-latin1)$/i.test(name))).toEqual([
      ['X-Dup', 'one'],
      ['x-dup', 'two'],
      ['X-Latin1', 'caf\xe9']
    ])
    expect(first.body.toString()).toBe('stored')

    const big = randomBytes(30 * 1024 * 1024)
    const second = await httpRequest(`${channel.url}/hooks/big`, { headers: [['Content-Type', 'application/octet-stream']], body: big, timeoutMs: 120_000 })
    expect(second.status).toBe(201)
    // listen prints its delivery lines in batches, after the answer: wait for the line, bounded.
    await listen.waitForLine(/ POST \/hooks\/big  30\.0 MiB  201$/, 30_000)

    const page = (await invoke(listen, 'deliveries.list', { limit: 10 })) as { items: { id: string; url: string }[] }
    const get = async (suffix: string) => {
      const summary = page.items.find((item) => item.url.endsWith(suffix))!
      return (await invoke(listen, 'deliveries.get', { id: summary.id })) as Exported & { truncated: boolean }
    }
    const one = await get('/hooks/one?x=1')
    expect(one.headers.filter(([name]) => !/^(host|content-length|connection)$/i.test(name))).toEqual(sent)
    expect(Buffer.from(one.bodyBase64, 'base64').equals(small)).toBe(true)
    const bigStored = await get('/hooks/big')
    expect(bigStored.truncated).toBe(false)
    expect(Buffer.from(bigStored.bodyBase64, 'base64').equals(big)).toBe(true)
    expect(await listen.stop('SIGTERM', 30_000)).toEqual({ code: 0, signal: null })
    expect(listen.stdout() + listen.stderr()).not.toContain(channel.clientToken)
    await relay.proc.stop()
  }, 300_000)

  it('captures 1,000 deliveries exactly once and answers every sender while the client is killed and the relay restarted at random', async () => {
    // Senders post to instance A; the client connects to instance B; both share Redis.
    const a = await relayServer(['--redis', redis.url, '--response-timeout', '3'])
    let b = await relayServer(['--redis', redis.url])
    const bPort = new URL(b.url).port
    const channel = await createChannel(a.url)
    const clientUrl = `${b.url}/c/${channel.id}`
    const dataDir = tempDir()
    const tunnelArgs = ['--tunnel', clientUrl, '--tunnel-token', channel.clientToken, '--no-ui']
    let listen = await startListen(dataDir, tunnelArgs, { timeoutMs: 30_000 })
    await listen.waitForLine(/^Tunnel connected: /, 30_000)

    const total = 1000
    const statuses = new Map<number, number>()
    let next = 0
    // The disruption loop lets the senders run up to `allowed`: a restart that is slow on a loaded
    // machine must not let them finish the whole run before the next disruption.
    let allowed = 0
    let resume: () => void = () => undefined
    let resumed = Promise.resolve()
    const allow = (upTo: number) => {
      allowed = Math.min(total, upTo)
      resume()
      resumed = new Promise((resolve) => (resume = resolve))
    }
    allow(0)
    const sender = async () => {
      while (next < total) {
        if (next >= allowed) {
          await resumed
          continue
        }
        const n = next++
        const reply = await httpRequest(`${channel.url}/n/${n}`, {
          headers: [['Content-Type', 'application/json']],
          body: Buffer.from(JSON.stringify({ n })),
          timeoutMs: 60_000
        })
        statuses.set(n, reply.status)
      }
    }
    const senders = Promise.all(Array.from({ length: 8 }, sender))

    // Disruptions while the senders run: bounded, at random points of the stream, each one with
    // up to eight requests in flight, and some sent while the client or the relay is down.
    let random = 0x2545f491
    const nextRandom = () => {
      random = (random * 1103515245 + 12345) & 0x7fffffff
      return random / 0x7fffffff
    }
    const disruptions: string[] = []
    for (let round = 0; round < 6 && next < total; round++) {
      allow(next + 60 + Math.floor(nextRandom() * 120))
      await pollUntil(() => next >= allowed, 'the senders to get further', 120_000)
      if (next >= total) break
      allow(next + 30)
      if (round % 2 === 0) {
        disruptions.push(`client SIGKILL at ${next}`)
        await listen.kill()
        listen = await startListen(dataDir, tunnelArgs, { timeoutMs: 30_000 })
      } else {
        disruptions.push(`relay B SIGKILL at ${next}`)
        await b.proc.kill()
        b = await relayServer(['--redis', redis.url, '--port', bPort])
      }
    }
    allow(total)
    await senders
    expect(disruptions.length).toBeGreaterThanOrEqual(3)

    // Every sender got an answer: the client's (200) or "queued" (202).
    expect(statuses.size).toBe(total)
    expect([...statuses.values()].filter((status) => status !== 200 && status !== 202)).toEqual([])
    // Everything queued reaches the client: the channel's queue empties.
    const client = new Redis(redis.url)
    cleanups.add(async () => client.quit())
    await pollUntil(async () => (await client.xlen(`hookscope:{${channel.id}}:q`)) === 0, 'the relay queue to drain', 120_000, 100)
    expect(await listen.stop('SIGTERM', 30_000)).toEqual({ code: 0, signal: null })

    const counts = new Map<number, number>()
    for (const delivery of await exportAll(dataDir)) {
      const n = Number(/\/n\/(\d+)$/.exec(delivery.url)?.[1])
      counts.set(n, (counts.get(n) ?? 0) + 1)
    }
    const missing = Array.from({ length: total }, (_, n) => n).filter((n) => !counts.has(n))
    const twice = [...counts.entries()].filter(([, count]) => count > 1)
    expect({ missing, twice, disruptions }).toEqual({ missing: [], twice: [], disruptions })
    await a.proc.stop()
    await b.proc.stop()
  }, 600_000)

  it("returns a passthrough forwarding target's answer to the public sender byte-exact, and stores the delivery and the attempt", async () => {
    // The local app answers with bytes of its own: a reason phrase, header case, duplicates, a Latin-1 value, a binary body.
    const appBody = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x7b, 0xe9])
    const appHeaders: [string, string][] = [
      ['X-Upper', 'A'],
      ['x-lower', 'b'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['X-Latin1', 'caf\xe9'],
      ['Date', 'Tue, 01 Dec 2026 10:00:00 GMT'],
      ['Content-Type', 'application/octet-stream']
    ]
    const head = ['HTTP/1.1 207 Partly', ...appHeaders.map(([name, value]) => `${name}: ${value}`), 'Connection: close', `Content-Length: ${appBody.length}`]
    const app = await startRawTarget(Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), appBody]))
    cleanups.add(() => app.close())

    const relay = await relayServer()
    const channel = await createChannel(relay.url)
    const dataDir = tempDir()
    const listen = await startListen(dataDir, ['--tunnel', channel.url, '--tunnel-token', channel.clientToken, '--forward-to', app.url], { timeoutMs: 30_000 })
    await listen.waitForLine(/^Tunnel connected: /, 30_000)
    const forwarding = (await invoke(listen, 'forwarding.get', { endpointId: 'default' })) as { rules: { target: string; mode: string }[] }
    expect(forwarding.rules).toEqual([expect.objectContaining({ target: `${app.url}/`, mode: 'passthrough' })])

    const sentBody = Buffer.from([0x7b, 0x00, 0xe9, 0xff, 0x7d])
    const sentHeaders: [string, string][] = [
      ['X-Dup', '1'],
      ['x-dup', '2'],
      ['X-Latin1', 'v\xe9'],
      ['Content-Type', 'application/octet-stream']
    ]
    const reply = await httpRequest(`${channel.url}/app/hook?x=1`, { headers: sentHeaders, body: sentBody, timeoutMs: 60_000 })

    // The sender gets the app's answer: status, every header line in order and case, body bytes. Only
    // the framing headers of the last hop (Connection, Keep-Alive, Content-Length) are the relay-server's own.
    const framing = /^(connection|keep-alive|content-length|transfer-encoding)$/i
    expect(reply.status).toBe(207)
    expect(reply.headers.filter(([name]) => !framing.test(name))).toEqual(appHeaders)
    expect(reply.headers.filter(([name]) => /^content-length$/i.test(name))).toEqual([['Content-Length', String(appBody.length)]])
    expect(reply.body.equals(appBody)).toBe(true)

    // The app got the sender's request: path and query after the channel, header lines, body bytes.
    const [received] = await app.waitForRequests(1, 30_000)
    expect(received!.url).toBe('/app/hook?x=1')
    expect(received!.body.equals(sentBody)).toBe(true)
    expect(received!.headers.filter(([name]) => /^(x-dup|x-latin1|content-type)$/i.test(name))).toEqual(sentHeaders)

    // Stored: the delivery as sent, with the answer the sender got and its source; one relay attempt.
    const page = (await invoke(listen, 'deliveries.list', {})) as { items: { id: string }[] }
    expect(page.items).toHaveLength(1)
    const id = page.items[0]!.id
    const stored = await pollUntil(async () => {
      const delivery = (await invoke(listen, 'deliveries.get', { id })) as Delivery
      return delivery.responseStatus === 207 ? delivery : null
    }, 'the answer to be recorded with the delivery')
    expect(Buffer.from(stored.bodyBase64, 'base64').equals(sentBody)).toBe(true)
    expect(stored.url).toBe('/app/hook?x=1')
    expect(stored.source).toMatchObject({ kind: 'tunnel', provider: 'hookscope', publicUrl: `${channel.url}/app/hook?x=1`, reserialized: false })
    // Answer header values are text in the API: a value that is not UTF-8 shows one character per byte.
    expect(stored.response.headers.filter(([name]) => !framing.test(name))).toEqual(appHeaders)
    expect(Buffer.from(stored.response.bodyBase64, 'base64').equals(appBody)).toBe(true)
    const attempts = await pollUntil(async () => {
      const list = (await invoke(listen, 'attempts.list', { deliveryId: id })) as { items: { state: string; status: number | null; target: string }[] }
      return list.items.length === 1 && list.items[0]!.state === 'succeeded' ? list.items : null
    }, 'the attempt to be recorded')
    expect(attempts[0]).toMatchObject({ state: 'succeeded', status: 207, target: `${app.url}/app/hook?x=1` })

    expect(await listen.stop('SIGTERM', 30_000)).toEqual({ code: 0, signal: null })
    await relay.proc.stop()
  }, 180_000)
})

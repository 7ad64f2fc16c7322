import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, killAllCli, spawnCli } from '../helpers/cli-process'
import { startRedis, type TestRedis } from '../helpers/redis-server'
import { type Channel, cleanupList, FakeIngress, httpRequest, startLink, startTestRelay, type TestRelay } from '../helpers/relay'

/**
 * Several relay instances sharing one real redis-server (Debian's, on a free loopback port):
 * channels and queues live in Redis, answers travel between instances over pub/sub.
 */
let redis: TestRedis
const cleanups = cleanupList()

beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})
afterEach(async () => {
  await cleanups.run()
  await killAllCli()
})

async function instance(): Promise<TestRelay> {
  const started = await startTestRelay({ redisUrl: redis.url })
  cleanups.add(() => started.stop())
  return started
}

function link(...args: Parameters<typeof startLink>) {
  const started = startLink(...args)
  cleanups.add(() => started.link.stop())
  return started
}

/** The same channel as seen through another instance (same id and token, that instance's address). */
function via(relay: TestRelay, channel: Channel): Channel {
  return { ...channel, url: `${relay.server.url}/c/${channel.id}` }
}

describe('relay server with Redis', () => {
  it('answers a request that lands on instance A through the client connected to instance B', async () => {
    const a = await instance()
    const b = await instance()
    expect(a.server.backend).toBe('redis')
    const channel = await a.createChannel()
    const ingress = new FakeIngress((request) => ({
      status: 201,
      headers: [
        ['X-Answered-By', 'client'],
        ['X-Dup', '1'],
        ['X-Dup', '2']
      ],
      body: Buffer.from(`echo:${request.body.toString()}`)
    }))
    const tunnel = link(via(b, channel), ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')

    const answer = await httpRequest(`${via(a, channel).url}/hook?q=1`, {
      body: Buffer.from('from A'),
      headers: [
        ['X-Sig', 'a'],
        ['x-sig', 'b']
      ]
    })
    expect(answer.status).toBe(201)
    expect(answer.headers).toEqual(
      expect.arrayContaining([
        ['X-Answered-By', 'client'],
        ['X-Dup', '1'],
        ['X-Dup', '2']
      ])
    )
    expect(answer.body.toString()).toBe('echo:from A')
    expect(ingress.received).toHaveLength(1)
    expect(ingress.received[0]!.url).toBe('/hook?q=1')
    expect(ingress.received[0]!.headers.filter(([name]) => name.toLowerCase() === 'x-sig')).toEqual([
      ['X-Sig', 'a'],
      ['x-sig', 'b']
    ])
    expect(a.lines.at(-1)).toMatch(/ 201  live /)

    // Many at once, spread over both instances: every sender gets its own answer.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => httpRequest(`${via(i % 2 ? a : b, channel).url}/n/${i}`, { body: Buffer.from(String(i)) }))
    )
    expect(answers.map((result) => result.body.toString())).toEqual(Array.from({ length: 40 }, (_, i) => `echo:${i}`))
    const health = await httpRequest(`${a.server.url}/healthz`, { method: 'GET' })
    expect(JSON.parse(health.body.toString())).toMatchObject({ status: 'ok', backend: 'redis' })
  })

  it('keeps a queued delivery when the instance that took it is killed, and delivers it through another', async () => {
    const first = await spawnRelay()
    const channel = JSON.parse((await httpRequest(`${first.url}/channels`, { body: Buffer.alloc(0) })).body.toString()) as Channel
    const queued = await httpRequest(`${channel.url}/while-offline`, { body: Buffer.from('keep me') })
    expect(queued.status).toBe(202)
    expect(JSON.parse(queued.body.toString()).position).toBe(1)
    await first.proc.kill()

    const second = await spawnRelay()
    const ingress = new FakeIngress()
    const tunnel = link({ ...channel, url: `${second.url}/c/${channel.id}` }, ingress)
    const connected = await tunnel.waitForHealth((state) => state.status === 'connected')
    expect(connected.queue.atConnect).toBe(1)
    await ingress.waitFor(1)
    expect(ingress.received[0]!.url).toBe('/while-offline')
    expect(ingress.received[0]!.body.toString()).toBe('keep me')
    await tunnel.waitForHealth((state) => state.queue.drainedAt !== null)
    await second.proc.stop()
  })

  it('moves the channel to the newest connection and drops the older one', async () => {
    const a = await instance()
    const b = await instance()
    const channel = await a.createChannel()
    const older = link(via(a, channel), new FakeIngress())
    await older.waitForHealth((state) => state.status === 'connected')
    const newerIngress = new FakeIngress()
    const newer = link(via(b, channel), newerIngress)
    await newer.waitForHealth((state) => state.status === 'connected')
    await older.waitForHealth((state) => state.error?.code === 'TUNNEL_CLOSED')
    // The older client reconnects and takes the channel back; either way exactly one client answers.
    const answer = await httpRequest(`${via(a, channel).url}/x`, { body: Buffer.from('y') })
    expect([200, 202]).toContain(answer.status)
  })
})

async function spawnRelay(): Promise<{ proc: CliProcess; url: string }> {
  const proc = spawnCli(['relay-server', '--open', '--port', '0', '--redis', redis.url])
  const line = await proc.waitForLine(/^Relay server on /)
  await proc.waitForLine(/^Queues and channels in Redis/)
  return { proc, url: line.slice('Relay server on '.length) }
}

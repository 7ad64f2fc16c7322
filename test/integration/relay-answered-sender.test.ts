import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingRequest, OutgoingResponse } from '../../electron/engine/capture/capture-types'
import { storeUnavailable } from '../../electron/engine/capture/render-response'
import { startRedis, type TestRedis } from '../helpers/redis-server'
import { type Channel, cleanupList, FakeIngress, httpRequest, startLink, startTestRelay, type TestRelay } from '../helpers/relay'

/**
 * A live delivery whose sender the relay answered itself ("queued": its wait for the client timed
 * out, or the client left with it) is the relay's to keep until the client stores it: a later 503
 * from the client's failing store must not drop it. Real relay servers and the real tunnel client
 * over loopback, the store a stand-in; on one in-memory instance, and on two instances sharing a
 * real redis-server (the sender on A, the client on B, so answers and marks cross instances).
 */
const RESPONSE_TIMEOUT_MS = 500

let redis: TestRedis
const cleanups = cleanupList()
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  await cleanups.run()
})
afterAll(async () => {
  await redis?.stop()
})

interface Topology {
  /** Where senders post. */
  sender: Channel
  /** Where the client connects. */
  client: Channel
  /** The instance the senders post to (its request lines). */
  front: TestRelay
}

async function relay(redisUrl: string | null): Promise<TestRelay> {
  const started = await startTestRelay({ redisUrl, responseTimeoutMs: RESPONSE_TIMEOUT_MS })
  cleanups.add(() => started.stop())
  return started
}

const topologies: [string, () => Promise<Topology>][] = [
  [
    'one in-memory instance',
    async () => {
      const only = await relay(null)
      const channel = await only.createChannel()
      return { sender: channel, client: channel, front: only }
    }
  ],
  [
    'two instances sharing Redis',
    async () => {
      const a = await relay(redis.url)
      const b = await relay(redis.url)
      const channel = await a.createChannel()
      return { sender: channel, client: { ...channel, url: `${b.server.url}/c/${channel.id}` }, front: a }
    }
  ]
]

function link(...args: Parameters<typeof startLink>): ReturnType<typeof startLink> {
  const started = startLink(...args)
  cleanups.add(() => started.link.stop())
  return started
}

/** How many deliveries a fresh connection to `channel` finds queued. */
async function queuedAtConnect(channel: Channel): Promise<number> {
  const probe = link(channel, new FakeIngress())
  return (await probe.waitForHealth((state) => state.status === 'connected')).queue.atConnect
}

/** The connection after the client's last TUNNEL_STORE_UNAVAILABLE has delivered its queue (and so had it acknowledged). */
function drainedAfterStoreFailure(tunnel: ReturnType<typeof startLink>) {
  const from = tunnel.health.findLastIndex((state) => state.error?.code === 'TUNNEL_STORE_UNAVAILABLE') + 1
  expect(from).toBeGreaterThan(0)
  return tunnel.waitForHealth((state) => state.queue.drainedAt !== null, 15_000, from)
}

/**
 * A stand-in store: the first delivery is held until `release()`, and nothing is stored until
 * `storeWrites` (the store's 503 then, as the pipeline gives it on a full disk).
 */
function heldStore(options: { storeWrites: boolean }) {
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  let calls = 0
  const stored: string[] = []
  const ingress = new FakeIngress(async (request: IncomingRequest): Promise<OutgoingResponse> => {
    if (++calls === 1) await gate
    if (!options.storeWrites) return storeUnavailable('disk-full')
    stored.push(`${request.url} ${request.body.toString()}`)
    return { status: 200, headers: [], body: Buffer.from('stored') }
  })
  return { ingress, stored, release }
}

describe.each(topologies)('a sender the relay answered itself (%s)', (_name, topology) => {
  it('keeps a delivery whose sender timed out when the client’s store then fails, and captures it once the store writes', async () => {
    const { sender, client, front } = await topology()
    const store = { storeWrites: false }
    const { ingress, stored, release } = heldStore(store)
    const tunnel = link(client, ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')

    const answer = await httpRequest(`${sender.url}/slow`, { body: Buffer.from('late') })
    // The client is still holding it: the relay answered for it.
    expect(answer.status).toBe(202)
    expect(JSON.parse(answer.body.toString())).toMatchObject({ queued: true, position: 1 })
    expect(front.lines.at(-1)).toMatch(/ 202  no answer yet, queued #1 /)
    expect(ingress.received).toHaveLength(1)

    // The store fails for it: the client's 503 reaches nobody and acknowledges nothing; the relay
    // sends it again as queued, the client leaves it queued (4003), and comes back for it.
    release()
    await ingress.waitFor(2)
    store.storeWrites = true
    await ingress.waitFor(3)
    await drainedAfterStoreFailure(tunnel)
    expect(stored).toEqual(['/slow late'])
    expect(ingress.received.map((request) => request.url)).toEqual(['/slow', '/slow', '/slow'])
    expect(tunnel.health.filter((state) => state.error?.code === 'TUNNEL_STORE_UNAVAILABLE').length).toBeGreaterThanOrEqual(1)

    await tunnel.link.stop()
    expect(await queuedAtConnect(client)).toBe(0)
    expect(stored).toEqual(['/slow late'])
  })

  it('captures a delivery whose sender timed out once when the client stores it late: sent again as queued, answered without a second capture', async () => {
    const { sender, client } = await topology()
    const { ingress, stored, release } = heldStore({ storeWrites: true })
    const tunnel = link(client, ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')

    expect((await httpRequest(`${sender.url}/slow`, { body: Buffer.from('late') })).status).toBe(202)
    release()
    // Answered twice by the client (the live copy, then the queued one from its memory of answers).
    await tunnel.waitForHealth((state) => state.delivered >= 2)
    expect(stored).toEqual(['/slow late'])
    expect(ingress.received).toHaveLength(1)
    await tunnel.link.stop()
    expect(await queuedAtConnect(client)).toBe(0)
  })

  it('keeps a delivery the client left with (requeued) when the client’s store then fails, and captures it once the store writes', async () => {
    const { sender, client, front } = await topology()
    const store = { storeWrites: false }
    const { ingress, stored, release } = heldStore(store)
    const tunnel = link(client, ingress)
    await tunnel.waitForHealth((state) => state.status === 'connected')

    const pending = httpRequest(`${sender.url}/gone`, { body: Buffer.from('left') })
    await ingress.waitFor(1)
    // The connection drops while the store holds the delivery; the client reconnects at once.
    ;(tunnel.link as unknown as { session: { close(): void } }).session.close()
    const answer = await pending
    expect(answer.status).toBe(202)
    expect(front.lines.at(-1)).toMatch(/ 202  client left, queued #1 /)

    // Its capture fails: neither copy (the one on the dropped connection, the one sent again) may drop it.
    release()
    await ingress.waitFor(2)
    store.storeWrites = true
    await ingress.waitFor(3)
    await drainedAfterStoreFailure(tunnel)
    expect(stored).toEqual(['/gone left'])
    expect(ingress.received.map((request) => request.url)).toEqual(['/gone', '/gone', '/gone'])

    await tunnel.link.stop()
    expect(await queuedAtConnect(client)).toBe(0)
    expect(stored).toEqual(['/gone left'])
  })
})

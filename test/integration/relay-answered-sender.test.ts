import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingRequest, OutgoingResponse } from '../../electron/engine/capture/capture-types'
import { storeUnavailable } from '../../electron/engine/capture/render-response'
import { startRedis, type TestRedis } from '../helpers/redis-server'
import { type Channel, cleanupList, FakeIngress, httpRequest, linkStoppedBy, queuedAtConnect, startTestRelay, type TestRelay } from '../helpers/relay'

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

const link = linkStoppedBy(cleanups)

/**
 * Lets the held delivery go to a failing store (its first copy), lets the store fail the copy sent
 * again too (the client leaves it queued: TUNNEL_STORE_UNAVAILABLE), then lets the store write.
 * The delivery `url body` is then stored exactly once and acknowledged: nothing is left queued.
 */
async function failTwiceThenStoreOnce(held: Connected, delivery: string): Promise<void> {
  const { ingress, store, tunnel, stored } = held
  held.release()
  await ingress.waitFor(2)
  store.storeWrites = true
  await ingress.waitFor(3)
  // The connection after the client's last store failure delivered its queue (so had it acknowledged).
  const from = tunnel.health.findLastIndex((state) => state.error?.code === 'TUNNEL_STORE_UNAVAILABLE') + 1
  expect(from).toBeGreaterThan(0)
  await tunnel.waitForHealth((state) => state.queue.drainedAt !== null, 15_000, from)
  const url = delivery.slice(0, delivery.indexOf(' '))
  expect(ingress.received.map((request) => request.url)).toEqual([url, url, url])
  expect(stored).toEqual([delivery])

  await tunnel.link.stop()
  expect(await queuedAtConnect(held.client, cleanups)).toBe(0)
  expect(stored).toEqual([delivery])
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

/** The topology, with a client connected over a held store that writes or not. */
async function connected(topology: () => Promise<Topology>, storeWrites: boolean) {
  const where = await topology()
  const store = { storeWrites }
  const held = heldStore(store)
  const tunnel = link(where.client, held.ingress)
  await tunnel.waitForHealth((state) => state.status === 'connected')
  return { ...where, ...held, store, tunnel }
}

type Connected = Awaited<ReturnType<typeof connected>>

describe.each(topologies)('a sender the relay answered itself (%s)', (_name, topology) => {
  it('keeps a delivery whose sender timed out when the client’s store then fails, and captures it once the store writes', async () => {
    const held = await connected(topology, false)
    const { sender, front, ingress } = held

    const answer = await httpRequest(`${sender.url}/slow`, { body: Buffer.from('late') })
    // The client is still holding it: the relay answered for it.
    expect(answer.status).toBe(202)
    expect(JSON.parse(answer.body.toString())).toMatchObject({ queued: true, position: 1 })
    expect(front.lines.at(-1)).toMatch(/ 202  no answer yet, queued #1 /)
    expect(ingress.received).toHaveLength(1)

    // The store fails for it: the client's 503 reaches nobody and acknowledges nothing; the relay
    // sends it again as queued, the client leaves it queued (4003), and comes back for it.
    await failTwiceThenStoreOnce(held, '/slow late')
  })

  it('captures a delivery whose sender timed out once when the client stores it late: sent again as queued, answered without a second capture', async () => {
    const { sender, client, ingress, stored, release, tunnel } = await connected(topology, true)

    expect((await httpRequest(`${sender.url}/slow`, { body: Buffer.from('late') })).status).toBe(202)
    release()
    // Answered twice by the client (the live copy, then the queued one from its memory of answers).
    await tunnel.waitForHealth((state) => state.delivered >= 2)
    expect(stored).toEqual(['/slow late'])
    expect(ingress.received).toHaveLength(1)
    await tunnel.link.stop()
    expect(await queuedAtConnect(client, cleanups)).toBe(0)
  })

  it('keeps a delivery the client left with (requeued) when the client’s store then fails, and captures it once the store writes', async () => {
    const held = await connected(topology, false)
    const { sender, front, ingress, tunnel } = held

    const pending = httpRequest(`${sender.url}/gone`, { body: Buffer.from('left') })
    await ingress.waitFor(1)
    // The connection drops while the store holds the delivery; the client reconnects at once.
    ;(tunnel.link as unknown as { session: { close(): void } }).session.close()
    const answer = await pending
    expect(answer.status).toBe(202)
    expect(front.lines.at(-1)).toMatch(/ 202  client left, queued #1 /)

    // Its capture fails: neither copy (the one on the dropped connection, the one sent again) may drop it.
    await failTwiceThenStoreOnce(held, '/gone left')
  })
})

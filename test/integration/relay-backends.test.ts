import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../electron/engine/logger'
import { MemoryBackend } from '../../electron/relay-server/memory-backend'
import { RedisBackend } from '../../electron/relay-server/redis-backend'
import type { RelayBackend } from '../../electron/relay-server/relay-types'
import { startRedis, type TestRedis } from '../helpers/redis-server'
import { DELIVERY_HEAD as HEAD, QUEUE_LIMITS as LIMITS } from '../helpers/relay-queue'

/**
 * The queue's contract, the same on both backends (memory, and a real redis-server on a free
 * loopback port): an entry whose sender the relay answered itself (markAnswered) becomes a backlog
 * entry, and an acknowledgement for it sent live keeps it. Mark and acknowledgement are atomic:
 * whichever comes first decides.
 */
let redis: TestRedis
const opened: RelayBackend[] = []
beforeAll(async () => {
  redis = await startRedis()
})
afterEach(async () => {
  for (const backend of opened.splice(0)) await backend.close()
})
afterAll(async () => {
  await redis?.stop()
})

let channelCount = 0
const backends: [string, () => Promise<RelayBackend>][] = [
  ['memory', async () => new MemoryBackend('instance-a', () => Date.now())],
  ['redis', async () => RedisBackend.connect(redis.url, 'instance-a', silentLogger)]
]

describe.each(backends)('%s backend: senders answered by the relay', (name, open) => {
  async function setup() {
    const backend = await open()
    opened.push(backend)
    const channel = `channel${++channelCount}`
    const add = async (id: string, replyTo: string | null) => {
      const result = await backend.enqueue(channel, { id, head: HEAD, body: Buffer.from(`body of ${id}`), replyTo }, LIMITS)
      if (!result.ok) throw new Error('not queued')
      return result.seq
    }
    const read = async () => (await backend.readAfter(channel, null, 10, LIMITS)).map((entry) => [entry.id, entry.replyTo, entry.body.toString()])
    return { backend, channel, add, read }
  }

  it('turns a live entry into a backlog entry, and keeps it when its live answer is acknowledged', async () => {
    const { backend, channel, add, read } = await setup()
    const live = await add('live', 'instance-a')
    const other = await add('other', 'instance-a')
    expect(await backend.markAnswered(channel, live, 'live')).toBe(true)
    expect(await read()).toEqual([
      ['live', null, 'body of live'],
      ['other', 'instance-a', 'body of other']
    ])
    // The answer of the copy sent live reached nobody: kept, and still there to be sent as queued.
    expect(await backend.ack(channel, live, 'live', true)).toBe('kept')
    expect(await backend.pending(channel)).toBe(2)
    expect(await read()).toEqual([
      ['live', null, 'body of live'],
      ['other', 'instance-a', 'body of other']
    ])
    // Sent again as queued, its answer acknowledges it; an unmarked live entry is acknowledged as before.
    expect(await backend.ack(channel, live, 'live', false)).toBe('acked')
    expect(await backend.ack(channel, other, 'other', true)).toBe('acked')
    expect(await backend.pending(channel)).toBe(0)
    expect(await backend.ack(channel, other, 'other', true)).toBe('gone')
  })

  it('does not mark what was acknowledged first: its answer went to the sender', async () => {
    const { backend, channel, add, read } = await setup()
    const seq = await add('first', 'instance-a')
    expect(await backend.ack(channel, seq, 'first', true)).toBe('acked')
    expect(await backend.markAnswered(channel, seq, 'first')).toBe(false)
    expect(await read()).toEqual([])
    // The mark left nothing behind: a later entry is live again.
    await add('next', 'instance-a')
    expect(await read()).toEqual([['next', 'instance-a', 'body of next']])
  })

  it('decides a mark from one instance and an acknowledgement from another at once one way or the other', async () => {
    const { backend, channel, add } = await setup()
    // Another instance's connection (Redis); in memory there is only one instance.
    const other = name === 'redis' ? await open() : backend
    if (other !== backend) opened.push(other)
    const outcomes: string[] = []
    for (let i = 0; i < 40; i++) {
      const seq = await add(`race${i}`, 'instance-a')
      const [marked, acked] = await Promise.all([backend.markAnswered(channel, seq, `race${i}`), other.ack(channel, seq, `race${i}`, true)])
      outcomes.push(`${marked}/${acked}`)
      if (acked === 'kept') expect(await other.ack(channel, seq, `race${i}`, false)).toBe('acked')
    }
    // Marked and kept, or acknowledged and not marked: never marked and dropped, never neither.
    expect(outcomes.filter((outcome) => outcome !== 'true/kept' && outcome !== 'false/acked')).toEqual([])
    expect(await backend.pending(channel)).toBe(0)
  })
})

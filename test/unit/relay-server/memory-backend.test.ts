import { describe, expect, it } from 'vitest'
import { compareSeq, MemoryBackend } from '../../../electron/relay-server/memory-backend'
import { DELIVERY_HEAD as HEAD, QUEUE_LIMITS as LIMITS } from '../../helpers/relay-queue'

describe('compareSeq', () => {
  it('orders `<ms>-<n>` ids by number, not as text', () => {
    expect(compareSeq('9-5', '10-0')).toBeLessThan(0)
    expect(compareSeq('10-2', '10-10')).toBeLessThan(0)
    expect(compareSeq('10-10', '10-10')).toBe(0)
    expect(compareSeq('11-0', '10-99')).toBeGreaterThan(0)
  })
})

describe('MemoryBackend queue', () => {
  it('reads after a cursor in order, across milliseconds, and skips what was acknowledged', async () => {
    let now = 1_000
    const backend = new MemoryBackend('instance', () => now)
    const seqs: string[] = []
    for (let i = 0; i < 6; i++) {
      // Two per millisecond: the counter orders entries of the same millisecond.
      if (i % 2 === 0) now += 1
      const result = await backend.enqueue('ch', { id: `d${i}`, head: HEAD, body: Buffer.from(`body ${i}`), replyTo: null }, LIMITS)
      if (!result.ok) throw new Error('not queued')
      seqs.push(result.seq)
    }
    const ids = (entries: { id: string }[]) => entries.map((entry) => entry.id)
    expect(ids(await backend.readAfter('ch', null, 2, LIMITS))).toEqual(['d0', 'd1'])
    expect(ids(await backend.readAfter('ch', seqs[1]!, 10, LIMITS))).toEqual(['d2', 'd3', 'd4', 'd5'])
    expect(ids(await backend.readAfter('ch', seqs[5]!, 10, LIMITS))).toEqual([])
    expect(await backend.ack('ch', seqs[3]!, 'd3')).toBe('acked')
    expect(ids(await backend.readAfter('ch', seqs[2]!, 10, LIMITS))).toEqual(['d4', 'd5'])
    // A cursor that was acknowledged meanwhile still marks the place.
    expect(ids(await backend.readAfter('ch', seqs[3]!, 1, LIMITS))).toEqual(['d4'])
    expect(await backend.readAfter('unknown', null, 10, LIMITS)).toEqual([])
  })
})

import { EventEmitter } from 'node:events'
import type { AckResult, ChannelNotice, ChannelRecord, EnqueueResult, QueuedDelivery, QueueLimits, RelayBackend, ReplyMessage } from './relay-types'

interface MemoryQueue {
  entries: QueuedDelivery[]
  bytes: number
}

/**
 * One relay instance keeps everything in this process: channels, queues, who is connected. A
 * restart loses all of it (the server says so at start); `--redis` is the durable, shared variant.
 */
export class MemoryBackend implements RelayBackend {
  readonly kind = 'memory'
  private readonly channels = new Map<string, ChannelRecord>()
  private readonly queues = new Map<string, MemoryQueue>()
  private readonly claims = new Map<string, string>()
  private readonly notices = new EventEmitter()
  private readonly replies = new EventEmitter()
  private lastMs = 0
  private counter = 0

  constructor(
    readonly instanceId: string,
    private readonly now: () => number
  ) {
    this.notices.setMaxListeners(0)
  }

  async saveChannel(channel: ChannelRecord): Promise<void> {
    this.channels.set(channel.id, channel)
  }

  async loadChannel(id: string): Promise<ChannelRecord | null> {
    return this.channels.get(id) ?? null
  }

  async enqueue(channelId: string, delivery: Omit<QueuedDelivery, 'seq'>, limits: QueueLimits): Promise<EnqueueResult> {
    const queue = this.queue(channelId)
    this.dropExpired(queue, limits)
    if (queue.entries.length >= limits.maxCount) return { ok: false, reason: 'count' }
    if (queue.bytes + delivery.body.length > limits.maxBytes) return { ok: false, reason: 'bytes' }
    const seq = this.nextSeq()
    queue.entries.push({ ...delivery, seq })
    queue.bytes += delivery.body.length
    return { ok: true, seq, position: queue.entries.length }
  }

  async readAfter(channelId: string, afterSeq: string | null, count: number, limits: QueueLimits): Promise<QueuedDelivery[]> {
    const queue = this.queues.get(channelId)
    if (!queue) return []
    this.dropExpired(queue, limits)
    // The first entry after the cursor, looked for from the end: the cursor is usually the last one
    // delivered, and only what arrived since lies behind it.
    let start = queue.entries.length
    if (afterSeq === null) start = 0
    else while (start > 0 && compareSeq(queue.entries[start - 1]!.seq, afterSeq) > 0) start--
    return queue.entries.slice(start, start + count)
  }

  async ack(channelId: string, seq: string, _deliveryId?: string, sentLive = false): Promise<AckResult> {
    const queue = this.queues.get(channelId)
    const index = this.indexOf(queue, seq)
    if (!queue || index < 0) return 'gone'
    if (sentLive && queue.entries[index]!.replyTo === null) return 'kept'
    const [entry] = queue.entries.splice(index, 1)
    queue.bytes -= entry!.body.length
    return 'acked'
  }

  async markAnswered(channelId: string, seq: string): Promise<boolean> {
    const queue = this.queues.get(channelId)
    const index = this.indexOf(queue, seq)
    if (!queue || index < 0) return false
    // A new object: a session holding the one it read still knows it sent the entry live.
    queue.entries[index] = { ...queue.entries[index]!, replyTo: null }
    return true
  }

  async pending(channelId: string): Promise<number> {
    return this.queues.get(channelId)?.entries.length ?? 0
  }

  async claim(channelId: string, sessionId: string): Promise<void> {
    this.claims.set(channelId, sessionId)
    this.notices.emit(channelId, { kind: 'takeover', sessionId } satisfies ChannelNotice)
  }

  async renew(channelId: string, sessionId: string): Promise<boolean> {
    return this.claims.get(channelId) === sessionId
  }

  async release(channelId: string, sessionId: string): Promise<void> {
    if (this.claims.get(channelId) === sessionId) this.claims.delete(channelId)
  }

  async isClaimed(channelId: string): Promise<boolean> {
    return this.claims.has(channelId)
  }

  watchChannel(channelId: string, listener: (notice: ChannelNotice) => void): () => void {
    this.notices.on(channelId, listener)
    return () => this.notices.off(channelId, listener)
  }

  async wake(channelId: string): Promise<void> {
    this.notices.emit(channelId, { kind: 'wake' } satisfies ChannelNotice)
  }

  onReply(listener: (reply: ReplyMessage) => void): void {
    this.replies.on('reply', listener)
  }

  async reply(instanceId: string, reply: ReplyMessage): Promise<void> {
    if (instanceId === this.instanceId) this.replies.emit('reply', reply)
  }

  healthy(): boolean {
    return true
  }

  async close(): Promise<void> {
    this.notices.removeAllListeners()
    this.replies.removeAllListeners()
  }

  private queue(channelId: string): MemoryQueue {
    let queue = this.queues.get(channelId)
    if (!queue) {
      queue = { entries: [], bytes: 0 }
      this.queues.set(channelId, queue)
    }
    return queue
  }

  private indexOf(queue: MemoryQueue | undefined, seq: string): number {
    return queue ? queue.entries.findIndex((entry) => entry.seq === seq) : -1
  }

  private dropExpired(queue: MemoryQueue, limits: QueueLimits): void {
    const oldest = this.now() - limits.ttlMs
    let drop = 0
    while (drop < queue.entries.length && seqTime(queue.entries[drop]!.seq) < oldest) {
      queue.bytes -= queue.entries[drop]!.body.length
      drop++
    }
    if (drop > 0) queue.entries.splice(0, drop)
  }

  /** Same shape as a Redis stream id, so both backends order and expire alike. */
  private nextSeq(): string {
    const ms = Math.max(this.now(), this.lastMs)
    this.counter = ms === this.lastMs ? this.counter + 1 : 0
    this.lastMs = ms
    return `${ms}-${this.counter}`
  }
}

export function seqTime(seq: string): number {
  return Number(seq.slice(0, seq.indexOf('-')))
}

export function compareSeq(a: string, b: string): number {
  const aDash = a.indexOf('-')
  const bDash = b.indexOf('-')
  return Number(a.slice(0, aDash)) - Number(b.slice(0, bDash)) || Number(a.slice(aDash + 1)) - Number(b.slice(bDash + 1))
}

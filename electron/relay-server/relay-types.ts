import type { RawHeader } from '../../shared/model/delivery'
import type { DeliveryHead } from '../engine/tunnel/tunnel-frames'

export type { DeliveryHead }

/** What a channel's senders get while no client is connected. `{position}` in the body is replaced. */
export interface OfflineAnswer {
  status: number
  headers: RawHeader[]
  body: string
}

export interface ChannelRecord {
  id: string
  /** SHA-256 of the client token (hex); the token itself is shown once, at creation. */
  tokenHash: string
  createdAt: number
  offlineAnswer: OfflineAnswer | null
}

export interface QueuedDelivery {
  /** Queue order: `<ms>-<n>`, increasing (a Redis stream id, or the same shape in memory). */
  seq: string
  /** Delivery id, unguessable; the client deduplicates on it. */
  id: string
  head: DeliveryHead
  body: Buffer
  /**
   * Instance whose sender waits for the client's answer; null once the sender was answered by the
   * relay itself (queued while offline, or later: its wait timed out, or the client left with it).
   * A null entry is a backlog entry: sent with `queued: true`, one at a time, in order.
   */
  replyTo: string | null
}

export interface QueueLimits {
  maxCount: number
  maxBytes: number
  ttlMs: number
}

/**
 * What acknowledging did: removed the entry, found it gone already, or kept it because its sender
 * was answered by the relay after it was sent live (see RelayBackend.ack).
 */
export type AckResult = 'acked' | 'gone' | 'kept'

export type EnqueueResult = { ok: true; seq: string; position: number } | { ok: false; reason: 'count' | 'bytes' }

/** A client's answer (or the news that there will be none soon) for the instance holding the sender. */
export type ReplyMessage =
  | { kind: 'response'; deliveryId: string; status: number; headers: RawHeader[]; body: Buffer }
  | { kind: 'requeued'; deliveryId: string; position: number }

/**
 * Where channels and queues live and how instances talk: in this process (memory) or in Redis
 * (shared by every instance, and surviving their restarts). The relay's logic is the same on both.
 */
export interface RelayBackend {
  readonly kind: 'memory' | 'redis'
  /** This instance's id: replies for senders waiting here are addressed to it. */
  readonly instanceId: string

  saveChannel(channel: ChannelRecord): Promise<void>
  loadChannel(id: string): Promise<ChannelRecord | null>

  /** Appends to the channel's queue unless that would pass a limit; drops expired entries first. */
  enqueue(channelId: string, delivery: Omit<QueuedDelivery, 'seq'>, limits: QueueLimits): Promise<EnqueueResult>
  /** Entries after `afterSeq` (from the start when null), oldest first, expired ones skipped. */
  readAfter(channelId: string, afterSeq: string | null, count: number, limits: QueueLimits): Promise<QueuedDelivery[]>
  /**
   * Removes a delivered entry (and its body). With `sentLive` (it went to the client as live, the
   * answer routed to its sender), an entry that markAnswered turned into a backlog entry meanwhile
   * is kept instead: that answer reached nobody, and may be the client's 503 for a delivery it
   * could not store; sent again as queued, it is stored or left queued (CLOSE_STORE_UNAVAILABLE).
   * Atomic with markAnswered: of the two, whichever comes first decides.
   */
  ack(channelId: string, seq: string, deliveryId: string, sentLive?: boolean): Promise<AckResult>
  /**
   * The relay answers the entry's sender itself (its wait timed out, or the client left with it):
   * the entry becomes a backlog entry (replyTo null). False when it is no longer queued: it was
   * acknowledged, so the client's answer was routed to the sender's instance before that.
   */
  markAnswered(channelId: string, seq: string, deliveryId: string): Promise<boolean>
  pending(channelId: string): Promise<number>

  /** Makes `sessionId` the channel's connected client, wherever it is; others are told to close. */
  claim(channelId: string, sessionId: string, ttlMs: number): Promise<void>
  /** Keeps the claim alive; false when another session has taken the channel over. */
  renew(channelId: string, sessionId: string, ttlMs: number): Promise<boolean>
  release(channelId: string, sessionId: string): Promise<void>
  /** Whether some client holds the channel now (on any instance). */
  isClaimed(channelId: string): Promise<boolean>

  /** Per-channel notices: `wake` (something was queued) and `takeover` (another session claimed it). */
  watchChannel(channelId: string, listener: (notice: ChannelNotice) => void): () => void
  wake(channelId: string): Promise<void>

  onReply(listener: (reply: ReplyMessage) => void): void
  reply(instanceId: string, reply: ReplyMessage): Promise<void>

  /** For /healthz: false while Redis is unreachable. */
  healthy(): boolean
  close(): Promise<void>
}

export type ChannelNotice = { kind: 'wake' } | { kind: 'takeover'; sessionId: string }

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
  /** Instance whose sender waits for the answer; null once the sender was answered (queued). */
  replyTo: string | null
}

export interface QueueLimits {
  maxCount: number
  maxBytes: number
  ttlMs: number
}

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
  /** Removes a delivered entry (and its body). False when it was already gone. */
  ack(channelId: string, seq: string, deliveryId: string): Promise<boolean>
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

import { Redis } from 'ioredis'
import type { Logger } from '../engine/engine-types'
import { seqTime } from './memory-backend'
import type { AckResult, ChannelNotice, ChannelRecord, EnqueueResult, QueuedDelivery, QueueLimits, RelayBackend, ReplyMessage } from './relay-types'

/**
 * Channels and queues in Redis, shared by every relay instance behind a load balancer.
 *
 * - A channel's queue is a stream (`hookscope:{<channel>}:q`, entry ids ordered by Redis' clock);
 *   the body sits beside it under its own key with an expiry, so trimming the stream never moves
 *   megabytes. Enqueue, trimming of expired entries and the count/byte limits run in one Lua
 *   script, so instances racing on one channel cannot overfill it.
 * - Stream entries cannot change, so an entry whose sender the relay answered itself after
 *   queueing it live (markAnswered) is named in the set `hookscope:{<channel>}:answered`; the
 *   scripts that mark, acknowledge and expire entries keep that set and the stream in step.
 * - The connected client's session id is `hookscope:{<channel>}:claim` (expires unless renewed by
 *   the heartbeat); claiming publishes a takeover so an older session elsewhere closes.
 * - Pub/sub: `hookscope:notice:<channel>` wakes the instance holding the client;
 *   `hookscope:reply:<instance>` carries the client's answer back to the instance holding the sender.
 *
 * An instance restart loses nothing queued: the entries stay in Redis until a client acknowledges them.
 */
export class RedisBackend implements RelayBackend {
  readonly kind = 'redis'
  private readonly watchers = new Map<string, Set<(notice: ChannelNotice) => void>>()
  private readonly replyListeners: ((reply: ReplyMessage) => void)[] = []

  private constructor(
    readonly instanceId: string,
    private readonly client: Redis & RelayScripts,
    private readonly sub: Redis,
    private readonly logger: Logger
  ) {
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString('latin1'), message))
  }

  /** Connects (both connections ready, scripts loaded) or throws within `timeoutMs`. */
  static async connect(url: string, instanceId: string, logger: Logger, timeoutMs = 5_000): Promise<RedisBackend> {
    const options = {
      lazyConnect: true,
      // A sender waiting on us should get a 503 soon when Redis is down, not hang in a retry loop.
      maxRetriesPerRequest: 2,
      connectTimeout: timeoutMs,
      retryStrategy: (times: number) => Math.min(2_000, 50 * 2 ** Math.min(times, 6))
    }
    const client = new Redis(url, options) as Redis & RelayScripts
    const sub = new Redis(url, options)
    for (const connection of [client, sub]) {
      // ioredis reconnects by itself (and resubscribes); errors are reported, never thrown at us.
      connection.on('error', (error: Error) => logger.warn('redis', { error: error.message }))
    }
    try {
      await Promise.all([client.connect(), sub.connect()])
    } catch (error) {
      client.disconnect()
      sub.disconnect()
      throw new Error(`cannot reach Redis at ${redactUrl(url)}: ${(error as Error).message}`)
    }
    client.defineCommand('relayEnqueue', { numberOfKeys: 4, lua: ENQUEUE_LUA })
    client.defineCommand('relayAck', { numberOfKeys: 4, lua: ACK_LUA })
    client.defineCommand('relayMarkAnswered', { numberOfKeys: 2, lua: MARK_ANSWERED_LUA })
    client.defineCommand('relayRenew', { numberOfKeys: 1, lua: RENEW_LUA })
    client.defineCommand('relayRelease', { numberOfKeys: 1, lua: RELEASE_LUA })
    const backend = new RedisBackend(instanceId, client, sub, logger)
    await sub.subscribe(replyChannel(instanceId))
    return backend
  }

  async saveChannel(channel: ChannelRecord): Promise<void> {
    await this.client.set(channelKey(channel.id), JSON.stringify(channel))
  }

  async loadChannel(id: string): Promise<ChannelRecord | null> {
    const json = await this.client.get(channelKey(id))
    return json ? (JSON.parse(json) as ChannelRecord) : null
  }

  async enqueue(channelId: string, delivery: Omit<QueuedDelivery, 'seq'>, limits: QueueLimits): Promise<EnqueueResult> {
    const result = await this.client.relayEnqueue(
      queueKey(channelId),
      bytesKey(channelId),
      bodyKey(channelId, delivery.id),
      answeredKey(channelId),
      limits.ttlMs,
      limits.maxCount,
      limits.maxBytes,
      delivery.body.length,
      delivery.id,
      JSON.stringify(delivery.head),
      delivery.replyTo ?? '',
      delivery.body
    )
    const [ok, seqOrReason, position] = result as [number, string, number]
    if (ok !== 1) return { ok: false, reason: seqOrReason === 'bytes' ? 'bytes' : 'count' }
    return { ok: true, seq: seqOrReason, position }
  }

  async readAfter(channelId: string, afterSeq: string | null, count: number, limits: QueueLimits): Promise<QueuedDelivery[]> {
    const rows = await this.client.xrange(queueKey(channelId), afterSeq === null ? '-' : `(${afterSeq}`, '+', 'COUNT', count)
    if (rows.length === 0) return []
    const ids = rows.map(([, fields]) => field(fields, 'id'))
    // One round trip for both: the bodies, and which entries' senders were answered since they were queued.
    const results = await this.client
      .pipeline()
      .mgetBuffer(...ids.map((id) => bodyKey(channelId, id)))
      .smismember(answeredKey(channelId), ...ids)
      .exec()
    const failed = results?.find(([error]) => error)?.[0]
    if (!results || failed) throw failed ?? new Error('redis pipeline aborted')
    const bodies = results[0]![1] as (Buffer | null)[]
    const answered = results[1]![1] as number[]
    const oldest = Date.now() - limits.ttlMs
    const entries: QueuedDelivery[] = []
    for (const [index, [seq, fields]] of rows.entries()) {
      const id = ids[index]!
      const body = bodies[index]
      if (!body || seqTime(seq) < oldest) {
        // Expired (its body key is gone, or about to be): drop it from the stream as well.
        await this.ack(channelId, seq, id)
        continue
      }
      const replyTo = answered[index] === 1 ? '' : field(fields, 'replyTo')
      entries.push({ seq, id, head: JSON.parse(field(fields, 'head')) as QueuedDelivery['head'], body, replyTo: replyTo || null })
    }
    return entries
  }

  async ack(channelId: string, seq: string, deliveryId: string, sentLive = false): Promise<AckResult> {
    const result = await this.client.relayAck(
      queueKey(channelId),
      bytesKey(channelId),
      bodyKey(channelId, deliveryId),
      answeredKey(channelId),
      seq,
      deliveryId,
      sentLive ? 1 : 0
    )
    return result === 1 ? 'acked' : result === 2 ? 'kept' : 'gone'
  }

  async markAnswered(channelId: string, seq: string, deliveryId: string): Promise<boolean> {
    return (await this.client.relayMarkAnswered(queueKey(channelId), answeredKey(channelId), seq, deliveryId)) === 1
  }

  async pending(channelId: string): Promise<number> {
    return this.client.xlen(queueKey(channelId))
  }

  async claim(channelId: string, sessionId: string, ttlMs: number): Promise<void> {
    await this.client.set(claimKey(channelId), sessionId, 'PX', ttlMs)
    await this.client.publish(noticeChannel(channelId), `takeover:${sessionId}`)
  }

  async renew(channelId: string, sessionId: string, ttlMs: number): Promise<boolean> {
    return (await this.client.relayRenew(claimKey(channelId), sessionId, ttlMs)) === 1
  }

  async release(channelId: string, sessionId: string): Promise<void> {
    await this.client.relayRelease(claimKey(channelId), sessionId)
  }

  async isClaimed(channelId: string): Promise<boolean> {
    return (await this.client.exists(claimKey(channelId))) === 1
  }

  watchChannel(channelId: string, listener: (notice: ChannelNotice) => void): () => void {
    let set = this.watchers.get(channelId)
    if (!set) {
      set = new Set()
      this.watchers.set(channelId, set)
      this.sub.subscribe(noticeChannel(channelId)).catch((error: Error) => this.logger.warn('redis subscribe failed', { error: error.message }))
    }
    set.add(listener)
    return () => {
      const current = this.watchers.get(channelId)
      if (!current) return
      current.delete(listener)
      if (current.size > 0) return
      this.watchers.delete(channelId)
      this.sub.unsubscribe(noticeChannel(channelId)).catch(() => undefined)
    }
  }

  async wake(channelId: string): Promise<void> {
    await this.client.publish(noticeChannel(channelId), 'wake')
  }

  onReply(listener: (reply: ReplyMessage) => void): void {
    this.replyListeners.push(listener)
  }

  async reply(instanceId: string, reply: ReplyMessage): Promise<void> {
    await this.client.publish(replyChannel(instanceId), encodeReply(reply))
  }

  healthy(): boolean {
    return this.client.status === 'ready' && this.sub.status === 'ready'
  }

  async close(): Promise<void> {
    this.watchers.clear()
    await Promise.allSettled([this.sub.quit(), this.client.quit()])
  }

  private onMessage(channel: string, message: Buffer): void {
    if (channel.startsWith(NOTICE_PREFIX)) {
      const text = message.toString('utf8')
      const notice: ChannelNotice = text === 'wake' ? { kind: 'wake' } : { kind: 'takeover', sessionId: text.slice('takeover:'.length) }
      for (const listener of this.watchers.get(channel.slice(NOTICE_PREFIX.length)) ?? []) listener(notice)
      return
    }
    if (channel === replyChannel(this.instanceId)) {
      let reply: ReplyMessage
      try {
        reply = decodeReply(message)
      } catch (error) {
        this.logger.warn('malformed reply on the redis bus', { error: (error as Error).message })
        return
      }
      for (const listener of this.replyListeners) listener(reply)
    }
  }
}

interface RelayScripts {
  relayEnqueue(...args: (string | number | Buffer)[]): Promise<unknown>
  relayAck(...args: (string | number)[]): Promise<number>
  relayMarkAnswered(...args: (string | number)[]): Promise<number>
  relayRenew(...args: (string | number)[]): Promise<number>
  relayRelease(...args: (string | number)[]): Promise<number>
}

const NOTICE_PREFIX = 'hookscope:notice:'
const channelKey = (id: string) => `hookscope:{${id}}:channel`
const queueKey = (id: string) => `hookscope:{${id}}:q`
const bytesKey = (id: string) => `hookscope:{${id}}:qbytes`
const bodyKey = (id: string, deliveryId: string) => `hookscope:{${id}}:body:${deliveryId}`
const answeredKey = (id: string) => `hookscope:{${id}}:answered`
const claimKey = (id: string) => `hookscope:{${id}}:claim`
const noticeChannel = (id: string) => `${NOTICE_PREFIX}${id}`
const replyChannel = (instanceId: string) => `hookscope:reply:${instanceId}`

function field(fields: string[], name: string): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]!
  return ''
}

/** `[u32 meta length][meta JSON][body]`: replies carry response bodies as bytes, not base64. */
function encodeReply(reply: ReplyMessage): Buffer {
  const { body, ...meta } = reply.kind === 'response' ? reply : { ...reply, body: Buffer.alloc(0) }
  const json = Buffer.from(JSON.stringify(meta), 'utf8')
  const head = Buffer.allocUnsafe(4)
  head.writeUInt32BE(json.length, 0)
  return Buffer.concat([head, json, body])
}

function decodeReply(message: Buffer): ReplyMessage {
  const length = message.readUInt32BE(0)
  const meta = JSON.parse(message.toString('utf8', 4, 4 + length)) as ReplyMessage
  if (meta.kind === 'response') return { ...meta, body: message.subarray(4 + length) }
  return meta
}

/** The password in a redis:// URL never reaches a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the given URL'
  }
}

// KEYS: queue, bytes, body, answered. ARGV: ttlMs, maxCount, maxBytes, size, id, head, replyTo, body.
// Expiry is judged on Redis' own clock, the one XADD stamps ids with.
const ENQUEUE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired = redis.call('XRANGE', KEYS[1], '-', '(' .. (now - tonumber(ARGV[1])) .. '-0')
local freed = 0
for _, entry in ipairs(expired) do
  local fields = entry[2]
  for i = 1, #fields, 2 do
    if fields[i] == 'size' then freed = freed + tonumber(fields[i + 1]) end
    if fields[i] == 'id' then redis.call('SREM', KEYS[4], fields[i + 1]) end
  end
  redis.call('XDEL', KEYS[1], entry[1])
end
if freed > 0 then redis.call('DECRBY', KEYS[2], freed) end
local length = redis.call('XLEN', KEYS[1])
if length >= tonumber(ARGV[2]) then return {0, 'count', length} end
local bytes = tonumber(redis.call('GET', KEYS[2]) or '0')
if bytes + tonumber(ARGV[4]) > tonumber(ARGV[3]) then return {0, 'bytes', length} end
redis.call('SET', KEYS[3], ARGV[8], 'PX', tonumber(ARGV[1]) + 60000)
local seq = redis.call('XADD', KEYS[1], '*', 'id', ARGV[5], 'head', ARGV[6], 'replyTo', ARGV[7], 'size', ARGV[4])
redis.call('INCRBY', KEYS[2], ARGV[4])
return {1, seq, length + 1}
`

// KEYS: queue, bytes, body, answered. ARGV: seq, id, sentLive (1: keep it if its sender was answered since).
// Returns 1 acknowledged, 0 already gone, 2 kept.
const ACK_LUA = `
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #entries > 0 and ARGV[3] == '1' and redis.call('SISMEMBER', KEYS[4], ARGV[2]) == 1 then return 2 end
redis.call('DEL', KEYS[3])
redis.call('SREM', KEYS[4], ARGV[2])
if #entries == 0 then return 0 end
local fields = entries[1][2]
for i = 1, #fields, 2 do
  if fields[i] == 'size' then redis.call('DECRBY', KEYS[2], tonumber(fields[i + 1])) end
end
redis.call('XDEL', KEYS[1], ARGV[1])
return 1
`

// KEYS: queue, answered. ARGV: seq, id. 0 when the entry is no longer queued (acknowledged, or expired).
const MARK_ANSWERED_LUA = `
if #redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[2])
return 1
`

const RENEW_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`

const RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`

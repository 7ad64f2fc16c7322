import type { Writable } from 'node:stream'
import type { WebSocket } from 'ws'
import type { RawHeader } from '../../shared/model/delivery'
import type { Logger } from '../engine/engine-types'
import { corkPerTick } from '../engine/tunnel/cork-per-tick'
import {
  CLOSE_STORE_UNAVAILABLE,
  type DecodedFrame,
  decodeFrame,
  encodeFrame,
  framesWithBody,
  type RequestFrame,
  TunnelProtocolError
} from '../engine/tunnel/tunnel-frames'
import type { ChannelNotice, QueuedDelivery, QueueLimits, RelayBackend, ReplyMessage } from './relay-types'

export interface ChannelSessionDeps {
  backend: RelayBackend
  limits: QueueLimits
  heartbeatMs: number
  /** Live deliveries in flight to the client at once. */
  window: number
  /** Largest response body accepted from the client. */
  maxResponseBytes: number
  logger: Logger
  /** Routes an answer to the instance holding the sender (this one or another). */
  reply(instanceId: string, reply: ReplyMessage): void
}

interface InFlight {
  entry: QueuedDelivery
  response: { status: number; headers: RawHeader[]; chunks: Buffer[]; size: number } | null
}

/** Close codes the client can act on. */
export const CLOSE_REPLACED = 4001
export const CLOSE_PROTOCOL = 4002

/**
 * One connected tunnel client: it sends the channel's queue to the client in order, collects the
 * answers, acknowledges each delivery once its answer is complete, and routes the answer to the
 * waiting sender. A client that misses a heartbeat is dropped; what it had in flight stays queued
 * (it was never acknowledged) and is sent again on the next connection.
 *
 * Order: deliveries whose sender was already answered (queued while offline, or answered by the
 * relay later: its wait timed out, or the client left with it) go one at a time, so they are
 * captured in the order they arrived; live deliveries go up to `window` at once.
 *
 * A delivery sent live whose sender the relay answered meanwhile is not acknowledged by the
 * client's answer (that answer reached nobody, and may be the 503 of a store that could not take
 * it): the backend keeps it, and it is sent again, as queued, in its place in the backlog.
 */
export class ChannelSession {
  private readonly inFlight = new Map<string, InFlight>()
  /** Answered by the client, acknowledgement under way: still in the queue, not to be sent again. */
  private readonly acking = new Set<string>()
  private readonly beforeSend: () => void
  private cursor: string | null = null
  /** A delivery was kept after its answer (see above): read the queue again from its start. */
  private rewind = false
  private backlogInFlight = false
  private pumping = false
  private pumpAgain = false
  private closed = false
  /** Heartbeats sent since the last pong. */
  private missed = 0
  private heartbeat: NodeJS.Timeout | undefined
  private unwatch: (() => void) | undefined
  readonly closedPromise: Promise<void>
  private resolveClosed!: () => void

  constructor(
    readonly channelId: string,
    readonly sessionId: string,
    private readonly socket: WebSocket,
    /** The connection under `socket`: its writes are batched per turn of the event loop. */
    connection: Pick<Writable, 'cork' | 'uncork'>,
    private readonly publicUrl: string,
    private readonly deps: ChannelSessionDeps
  ) {
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve))
    this.beforeSend = corkPerTick(connection)
  }

  async start(): Promise<void> {
    const { backend, heartbeatMs } = this.deps
    this.socket.on('message', (data: Buffer, isBinary: boolean) => this.onMessage(data, isBinary))
    this.socket.on('pong', () => (this.missed = 0))
    this.socket.once('close', (code: number) => {
      // Nothing to do but say so: the delivery it could not store was never acknowledged, so it is
      // still at the head of the queue for the client's next connection.
      if (code === CLOSE_STORE_UNAVAILABLE)
        this.deps.logger.info('tunnel client cannot store deliveries now; its queue is kept', { channel: short(this.channelId) })
      void this.onClose()
    })
    this.socket.on('error', (error) => this.deps.logger.debug('tunnel client socket error', { error: error.message }))
    this.unwatch = backend.watchChannel(this.channelId, (notice) => this.onNotice(notice))
    await backend.claim(this.channelId, this.sessionId, heartbeatMs * 3)
    if (this.closed) return
    const queued = await backend.pending(this.channelId)
    this.send(encodeFrame({ type: 'hello', channelId: this.channelId, publicUrl: this.publicUrl, heartbeatMs, queued }))
    this.heartbeat = setInterval(() => void this.beat(), heartbeatMs)
    void this.pump()
  }

  /** Graceful stop: the client is told to go away (it reconnects, maybe to another instance). */
  close(code = 1001, reason = 'relay stopping'): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(code, reason)
    else void this.onClose()
  }

  private async beat(): Promise<void> {
    // Two unanswered pings in a row: a client busy for one interval (a 30 MiB body being stored)
    // is not dead; one silent for two is.
    if (this.missed >= 2) {
      this.deps.logger.info('tunnel client missed two heartbeats; dropping it', { channel: short(this.channelId) })
      this.socket.terminate()
      return
    }
    this.missed++
    this.socket.ping()
    try {
      const stillOurs = await this.deps.backend.renew(this.channelId, this.sessionId, this.deps.heartbeatMs * 3)
      if (!stillOurs && !this.closed) this.close(CLOSE_REPLACED, 'replaced by a newer connection')
    } catch (error) {
      this.deps.logger.warn('could not renew the channel claim', { error: (error as Error).message })
    }
  }

  private onNotice(notice: ChannelNotice): void {
    if (notice.kind === 'wake') void this.pump()
    else if (notice.sessionId !== this.sessionId) this.close(CLOSE_REPLACED, 'replaced by a newer connection')
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true
      return
    }
    this.pumping = true
    try {
      do {
        this.pumpAgain = false
        await this.sendMore()
      } while (this.pumpAgain && !this.closed)
    } catch (error) {
      this.deps.logger.warn('could not read the channel queue', { channel: short(this.channelId), error: (error as Error).message })
    } finally {
      this.pumping = false
    }
  }

  private async sendMore(): Promise<void> {
    const { backend, limits, window } = this.deps
    while (!this.closed && !this.backlogInFlight && this.inFlight.size < window) {
      if (this.rewind) {
        this.rewind = false
        this.cursor = null
      }
      const entries = await backend.readAfter(this.channelId, this.cursor, window - this.inFlight.size, limits)
      if (entries.length === 0 || this.closed) return
      for (const entry of entries) {
        // Met again after a rewind: still with the client, or answered and being acknowledged.
        if (this.inFlight.has(entry.id) || this.acking.has(entry.id)) {
          this.cursor = entry.seq
          continue
        }
        const backlog = entry.replyTo === null
        // A queued delivery waits until nothing else is in flight, and nothing is sent beside it.
        if (backlog && this.inFlight.size > 0) return
        this.deliver(entry)
        if (backlog) {
          this.backlogInFlight = true
          return
        }
      }
    }
  }

  private deliver(entry: QueuedDelivery): void {
    this.cursor = entry.seq
    this.inFlight.set(entry.id, { entry, response: null })
    const head: Omit<RequestFrame, 'end'> = {
      type: 'request',
      id: entry.id,
      ...entry.head,
      bodySize: entry.body.length,
      queued: entry.replyTo === null
    }
    for (const frame of framesWithBody<RequestFrame>(head, entry.body)) this.send(frame)
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.protocolError('text message')
      return
    }
    let decoded: DecodedFrame
    try {
      decoded = decodeFrame(data)
    } catch (error) {
      this.protocolError(error instanceof TunnelProtocolError ? error.message : 'bad frame')
      return
    }
    const { frame, payload } = decoded
    if (frame.type !== 'response' && frame.type !== 'response-data') {
      this.protocolError(`unexpected ${frame.type} frame`)
      return
    }
    const flight = this.inFlight.get(frame.id)
    // An answer for something no longer in flight here (acknowledged through another connection): nothing to do.
    if (!flight) return
    if (frame.type === 'response') {
      if (flight.response) {
        this.protocolError('second response head')
        return
      }
      flight.response = { status: frame.status, headers: frame.headers, chunks: [], size: 0 }
    } else if (!flight.response) {
      this.protocolError('response data before its head')
      return
    }
    const response = flight.response
    response.size += payload.length
    if (response.size > this.deps.maxResponseBytes) {
      this.protocolError('response body over the limit')
      return
    }
    if (payload.length > 0) response.chunks.push(Buffer.from(payload))
    if (frame.end) void this.complete(flight)
  }

  private async complete(flight: InFlight): Promise<void> {
    const { entry, response } = flight
    this.inFlight.delete(entry.id)
    this.acking.add(entry.id)
    if (entry.replyTo === null) this.backlogInFlight = false
    void this.pump()
    if (entry.replyTo && response) {
      const body = Buffer.concat(response.chunks, response.size)
      this.deps.reply(entry.replyTo, { kind: 'response', deliveryId: entry.id, status: response.status, headers: response.headers, body })
    }
    try {
      const acked = await this.deps.backend.ack(this.channelId, entry.seq, entry.id, entry.replyTo !== null)
      // Its sender was answered by the relay while the client had it: sent again, as queued, in order.
      if (acked === 'kept') this.rewind = true
    } catch (error) {
      // Not acknowledged: it is delivered again later, and the client recognises it by its id (not stored twice).
      this.deps.logger.warn('could not acknowledge a delivery', { channel: short(this.channelId), error: (error as Error).message })
    } finally {
      this.acking.delete(entry.id)
    }
    if (this.rewind) void this.pump()
  }

  private protocolError(what: string): void {
    this.deps.logger.warn('tunnel protocol error; closing', { channel: short(this.channelId), what })
    this.close(CLOSE_PROTOCOL, 'protocol error')
  }

  private send(frame: Buffer): void {
    if (this.socket.readyState !== this.socket.OPEN) return
    this.beforeSend()
    this.socket.send(frame, { binary: true })
  }

  private async onClose(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearInterval(this.heartbeat)
    this.unwatch?.()
    const orphans = [...this.inFlight.values()]
    this.inFlight.clear()
    try {
      await this.deps.backend.release(this.channelId, this.sessionId)
      if (orphans.some((flight) => flight.entry.replyTo)) {
        // Still queued (never acknowledged); their senders hear so now rather than at their timeout.
        const position = await this.deps.backend.pending(this.channelId)
        for (const { entry } of orphans) {
          if (entry.replyTo) this.deps.reply(entry.replyTo, { kind: 'requeued', deliveryId: entry.id, position })
        }
      }
    } catch (error) {
      this.deps.logger.warn('could not release the channel', { channel: short(this.channelId), error: (error as Error).message })
    } finally {
      this.resolveClosed()
    }
  }
}

/** Channel ids are capabilities: logs show a prefix only. */
export function short(channelId: string): string {
  return `${channelId.slice(0, 6)}…`
}

import type { IncomingMessage } from 'node:http'
import { performance } from 'node:perf_hooks'
import { WebSocket } from 'ws'
import type { IncomingRequest, OutgoingResponse } from '../capture/capture-types'
import { corkPerTick } from './cork-per-tick'
import {
  CLOSE_STORE_UNAVAILABLE,
  type DecodedFrame,
  decodeFrame,
  framesWithBody,
  type RequestFrame,
  type ResponseFrame,
  TUNNEL_MAX_MESSAGE_BYTES,
  TUNNEL_PROTOCOL,
  TunnelProtocolError
} from './tunnel-frames'
import { type LinkSession, type SessionEnd, TunnelLink, type TunnelLinkDeps } from './tunnel-link'

const DEFAULT_HEARTBEAT_MS = 15_000
const HANDSHAKE_TIMEOUT_MS = 10_000
/** Answers remembered for deliveries the relay may send again (ack lost on a dropped connection). */
const RECENT_ANSWERS = 2_000

/** What answering a delivery needs from the session it came in on. */
interface SessionPort {
  /** Sends one frame on the session's connection; false if the connection is no longer open. */
  send(message: Buffer): boolean
  /** Ends the session without answering `response`'s delivery: the relay keeps it queued. */
  leaveQueued(response: OutgoingResponse): void
}

interface Assembly {
  frame: RequestFrame
  chunks: Buffer[]
  kept: number
  size: number
}

/**
 * A tunnel to a `hookscope relay-server` channel: one WebSocket, deliveries in, answers out.
 * Each delivery goes to the capture ingress like a local request; its answer goes back to the
 * relay, and the last frame of that answer acknowledges the delivery. A delivery the relay sends
 * again (same id) is never captured twice: the capture worker's insert finds the copy stored
 * before (in its transaction) and the pipeline answers `{"id":…,"repeated":true}`.
 */
export class RelayLink extends TunnelLink {
  /**
   * Repeats within this run, answered here without a second trip through the pipeline: the usual
   * repeat is the one the relay sends on reconnecting, often while the first copy is still being
   * stored (or its passthrough target is still answering). Joining it (`inProgress`) or reusing its
   * answer (`recent`) gives the relay the very answer of the first copy, and spares copying the body
   * to the capture worker only to find it stored. Repeats after a restart are found by the store.
   */
  private readonly inProgress = new Map<string, Promise<OutgoingResponse>>()
  private readonly recent = new Map<string, OutgoingResponse>()

  constructor(
    url: string,
    private readonly connectUrl: string,
    private readonly token: string,
    deps: TunnelLinkDeps
  ) {
    super('hookscope', url, deps)
  }

  protected openSession(): LinkSession {
    const { logger } = this.deps
    const socket = new WebSocket(this.connectUrl, TUNNEL_PROTOCOL, {
      headers: { Authorization: `Bearer ${this.token}` },
      maxPayload: TUNNEL_MAX_MESSAGE_BYTES,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false
    })
    const assemblies = new Map<string, Assembly>()
    // Answers sent in one turn of the event loop leave in one write (cork-per-tick.ts).
    let beforeSend = () => {}
    socket.once('upgrade', (response: IncomingMessage) => (beforeSend = corkPerTick(response.socket)))
    let connected = false
    let error: SessionEnd['error'] = null
    let retryAfterMs: number | undefined
    const port: SessionPort = {
      send: (message) => {
        if (socket.readyState !== socket.OPEN) return false
        beforeSend()
        socket.send(message, { binary: true })
        return true
      },
      leaveQueued: (response) => {
        if (socket.readyState !== socket.OPEN) return
        retryAfterMs = retryAfterMsOf(response)
        error = {
          code: 'TUNNEL_STORE_UNAVAILABLE',
          message: 'Hookscope could not store a delivery the relay had queued: it stays queued on the relay (nothing is lost) and is tried again'
        }
        logger.warn('the store could not take a queued tunnel delivery; it stays on the relay', { endpoint: this.deps.endpointId, retryAfterMs })
        socket.close(CLOSE_STORE_UNAVAILABLE, 'store unavailable')
      }
    }
    let pinger: NodeJS.Timeout | undefined
    let pingSentAt: number | null = null

    const fail = (code: NonNullable<SessionEnd['error']>['code'], message: string) => {
      error ??= { code, message }
      socket.terminate()
    }

    socket.on('unexpected-response', (_req, res: IncomingMessage) => {
      res.resume()
      const status = res.statusCode ?? 0
      if (status === 401 || status === 403) fail('TUNNEL_UNAUTHORIZED', 'the relay refused the client token (or has no such channel)')
      else if (status === 404) fail('TUNNEL_NOT_FOUND', 'the relay has no such channel')
      else fail('TUNNEL_REFUSED', `the relay answered ${status} to the connection`)
    })
    socket.on('error', (cause: Error) => {
      error ??= { code: 'TUNNEL_UNREACHABLE', message: `cannot reach the relay: ${cause.message}` }
    })
    socket.on('pong', () => {
      if (pingSentAt !== null) this.measuredRtt(performance.now() - pingSentAt)
      pingSentAt = null
    })
    socket.on('ping', () => this.touched())
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return fail('TUNNEL_PROTOCOL', 'the relay sent a text message')
      let decoded: DecodedFrame
      try {
        decoded = decodeFrame(data)
      } catch (cause) {
        return fail('TUNNEL_PROTOCOL', cause instanceof TunnelProtocolError ? cause.message : 'bad frame')
      }
      const { frame, payload } = decoded
      this.touched()
      switch (frame.type) {
        case 'hello': {
          connected = true
          this.connected(frame.publicUrl, frame.queued)
          logger.info('tunnel connected', { endpoint: this.deps.endpointId, queued: frame.queued })
          const every = Math.min(frame.heartbeatMs, this.deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS)
          let unanswered = 0
          pinger = setInterval(() => {
            // Two intervals without a pong: the relay (or the path to it) is gone.
            if (pingSentAt !== null && ++unanswered >= 2) return fail('TUNNEL_HEARTBEAT', 'the relay stopped answering heartbeats')
            if (pingSentAt !== null) return
            unanswered = 0
            pingSentAt = performance.now()
            socket.ping()
          }, every)
          return
        }
        case 'request': {
          const assembly: Assembly = { frame, chunks: [], kept: 0, size: 0 }
          assemblies.set(frame.id, assembly)
          return this.addChunk(assembly, payload, frame.end, assemblies, port)
        }
        case 'request-data': {
          const assembly = assemblies.get(frame.id)
          if (!assembly) return fail('TUNNEL_PROTOCOL', 'request data for an unknown delivery')
          return this.addChunk(assembly, payload, frame.end, assemblies, port)
        }
        default:
          return fail('TUNNEL_PROTOCOL', `unexpected ${frame.type} frame from the relay`)
      }
    })
    const done = new Promise<SessionEnd>((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        clearInterval(pinger)
        if (!error && connected) error = { code: 'TUNNEL_CLOSED', message: closeMessage(code, reason.toString('utf8')) }
        const end: SessionEnd = { connected, error: error ?? { code: 'TUNNEL_UNREACHABLE', message: 'the connection closed before the relay said hello' } }
        if (retryAfterMs !== undefined) end.retryAfterMs = retryAfterMs
        resolve(end)
      })
    })
    return { done, close: () => socket.close(1000, 'client stopping') }
  }

  private addChunk(assembly: Assembly, payload: Buffer, end: boolean, assemblies: Map<string, Assembly>, port: SessionPort): void {
    assembly.size += payload.length
    // Past the endpoint's limit the delivery is kept truncated, as a local listener does.
    const room = this.deps.maxBodyBytes() - assembly.kept
    if (room > 0 && payload.length > 0) {
      const piece = payload.length <= room ? payload : payload.subarray(0, room)
      // ws hands us slices of its receive buffer: copy what we keep.
      assembly.chunks.push(Buffer.from(piece))
      assembly.kept += piece.length
    }
    if (!end) return
    assemblies.delete(assembly.frame.id)
    void this.dispatch(assembly, port)
  }

  private async dispatch(assembly: Assembly, port: SessionPort): Promise<void> {
    const { frame } = assembly
    const response = await this.answerFor(assembly)
    // Its sender had the relay's queued answer long ago: our 503 would reach nobody, and answering
    // would acknowledge it. Unanswered, it stays at the head of the queue (nothing else is in flight
    // beside a queued delivery) for the next connection. A live sender gets the 503 and retries.
    if (response.notStored && frame.queued) return port.leaveQueued(response)
    const head: Omit<ResponseFrame, 'end'> = { type: 'response', id: frame.id, status: response.status, headers: response.headers }
    // The connection may have dropped meanwhile: the relay sends it again and the answer is remembered.
    for (const message of framesWithBody<ResponseFrame>(head, response.body)) if (!port.send(message)) return
    this.delivered()
  }

  private async answerFor(assembly: Assembly): Promise<OutgoingResponse> {
    const { frame } = assembly
    const known = this.recent.get(frame.id) ?? this.inProgress.get(frame.id)
    if (known !== undefined) return known
    const answer = this.capture(assembly)
    this.inProgress.set(frame.id, answer)
    try {
      const response = await answer
      // Not stored: a copy sent again must try the store again, not get this answer.
      if (response.notStored) return response
      this.recent.set(frame.id, response)
      if (this.recent.size > RECENT_ANSWERS) this.recent.delete(this.recent.keys().next().value!)
      return response
    } finally {
      this.inProgress.delete(frame.id)
    }
  }

  private capture(assembly: Assembly): Promise<OutgoingResponse> {
    const { frame, chunks, kept, size } = assembly
    const request: IncomingRequest = {
      endpointId: this.deps.endpointId,
      receivedAt: frame.receivedAt,
      durationMs: frame.durationMs,
      method: frame.method,
      url: frame.target,
      httpVersion: frame.httpVersion,
      headers: frame.headers,
      body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept),
      bodySize: size,
      truncated: size > kept,
      remoteAddress: frame.remoteAddress,
      remotePort: frame.remotePort,
      tls: null,
      source: { kind: 'tunnel', provider: 'hookscope', publicUrl: frame.publicUrl, reserialized: false, deliveryId: frame.id }
    }
    return this.deps.ingress.handle(request)
  }
}

/** The store's Retry-After (whole seconds) in ms; a second when it gives none. */
function retryAfterMsOf(response: OutgoingResponse): number {
  const value = response.headers.find(([name]) => name.toLowerCase() === 'retry-after')?.[1] ?? ''
  return /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) * 1000 : 1000
}

function closeMessage(code: number, reason: string): string {
  if (code === 1001) return 'the relay is restarting or stopping'
  if (code === 4001) return 'another client connected to this channel'
  if (code === 4002) return 'the relay closed the connection (protocol error)'
  return reason ? `the relay closed the connection (${code}: ${reason})` : `the connection closed (${code})`
}

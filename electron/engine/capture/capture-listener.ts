import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse, STATUS_CODES } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import type { RawHeader } from '../../../shared/model/delivery'
import type { EndpointConfig } from '../../../shared/model/endpoint'
import type { TlsRejection } from '../../../shared/model/tls'
import type { CaptureTimeouts, Clock, Logger } from '../engine-types'
import { type ClientHelloSniffer, clientHelloOf, sniffClientHellos } from '../tls/client-hello'
import { handshakeRejection } from '../tls/tls-client-error'
import type { PreparedTlsEndpoint } from '../tls/tls-endpoint'
import { connectionTlsFacts } from '../tls/tls-facts'
import { judgeConnection } from '../tls/tls-server-options'
import { BodyCollector } from './body-collector'
import type { CaptureIngress, IncomingRequest, OutgoingResponse } from './capture-types'
import { type InFlightBudget, RETRY_AFTER_SECONDS } from './in-flight-budget'
import { listenError } from './listen-error'

export interface CaptureListenerOptions {
  endpointId: string
  /** Read per request, so a changed body limit applies without a restart. */
  endpoint: () => EndpointConfig
  timeouts: CaptureTimeouts
  clock: Clock
  logger: Logger
  /** Decides the answer (verifies, stores, relays); the listener only receives and answers. */
  ingress: CaptureIngress
  /** Shared by every listener: bodies held in memory until stored. */
  budget: InFlightBudget
  /** Certificates and client-certificate policy for https endpoints; null for plain http. */
  tls: PreparedTlsEndpoint | null
  /**
   * A connection that carried no delivery: refused handshake or client certificate, or no room
   * (503). Resolves once it is recorded: a refused request is answered only then.
   */
  onRejected: (connection: RejectedTlsConnection) => Promise<void>
}

export interface RejectedTlsConnection {
  remoteAddress: string
  remotePort: number
  rejection: TlsRejection
}

/** How long stop() lets in-flight requests finish before cutting their connections. */
const STOP_GRACE_MS = 5_000

/**
 * One HTTP listener for one endpoint. Accepts any method and path, keeps the request head exactly
 * as received (`rawHeaders`: case, order, duplicates, every line within the header size limit), the
 * body bytes exactly (up to the limit) and the trailers, hands the request to the capture pipeline,
 * then sends the answer it decides. Nothing here is proportional to the body but collecting it.
 */
export class CaptureListener {
  private readonly server: Server
  private readonly sniffer: ClientHelloSniffer | null = null
  private closing = false
  /** Answers held back by the endpoint's response delay; close() sends them at once. */
  private readonly delayed = new Set<() => void>()

  constructor(private readonly options: CaptureListenerOptions) {
    const { timeouts, tls } = options
    const http: ServerOptions = {
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      // Webhook senders put large signatures and JWTs in headers.
      maxHeaderSize: 64 * 1024
    }
    const onRequest = (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res)
    if (tls) {
      const server = createHttpsServer({ ...http, ...tls.serverOptions }, onRequest)
      // Reads each ClientHello first, so a refused handshake can say which version was offered.
      this.sniffer = sniffClientHellos(server)
      // Judged before the HTTP parser sees the connection: a refused client never gets to send.
      server.prependListener('secureConnection', (socket: TLSSocket) => {
        const judgement = judgeConnection(socket, tls.mtls, options.clock.now())
        if (!judgement.refuse || !judgement.rejection) return
        void options.onRejected({ ...peer(socket), rejection: judgement.rejection })
        socket.destroy()
      })
      // A failed handshake's socket is already closed when we hear of it: note the peer on arrival.
      server.on('connection', (raw: Socket) => rememberPeer(raw))
      server.on('tlsClientError', (error, socket) => {
        void options.onRejected({ ...peer(socket), rejection: handshakeRejection(error, clientHelloOf(socket)) })
      })
      this.server = server
    } else {
      this.server = createServer(http, onRequest)
    }
    // Node keeps only the first 2,000 raw header entries by default and drops the rest silently;
    // maxHeaderSize (above) already bounds a request head, so keep every line within it.
    this.server.maxHeadersCount = 0
    this.server.on('clientError', (error, socket) => this.onClientError(error, socket))
    this.server.on('connect', (req: IncomingMessage, socket: Duplex) => this.onConnect(req, socket))
    // A sender that half-closes after its body (HTTP/1.0 tools, `nc`, some SDKs) still waits for
    // our answer, and ours comes only after the fsync. Node's default would drop the pending
    // request on the client's FIN; with half-open allowed it answers, then closes.
    ;(this.server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, host, port))
      this.server.once('error', onError)
      this.server.listen({ host, port }, () => {
        this.server.off('error', onError)
        this.server.on('error', (error) => this.options.logger.error('capture listener error', { error: error.message }))
        const address = this.server.address()
        resolve(typeof address === 'object' && address ? address.port : port)
      })
    })
  }

  /** Stops accepting; in-flight deliveries are still stored and answered (with `Connection: close`). */
  close(): Promise<void> {
    this.closing = true
    this.sniffer?.destroyPending()
    for (const answerNow of [...this.delayed]) answerNow()
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve()
      const timer = setTimeout(() => this.server.closeAllConnections(), STOP_GRACE_MS)
      this.server.close(() => {
        clearTimeout(timer)
        resolve()
      })
      this.server.closeIdleConnections()
    })
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now()
    const receivedAt = this.options.clock.now()
    const limit = this.options.endpoint().maxBodyBytes
    const { budget } = this.options
    // A declared length is reserved up front (up to the limit), so a sender that cannot fit is told
    // before it uploads anything; a chunked body reserves as it arrives.
    const declared = Number(req.headers['content-length'] ?? 0)
    let reserved = Math.min(Number.isFinite(declared) ? declared : 0, limit)
    if (!budget.tryReserve(reserved)) {
      this.refuse(req, res, false)
      return
    }
    const collected = new BodyCollector(reserved)
    let size = 0
    let overBudget = false
    // Past the limit we keep reading (and counting) so the client can read our 413; the request
    // timeout bounds how long a sender can keep us draining.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      const stored = collected.length
      if (stored >= limit || overBudget) return
      const piece = chunk.length <= limit - stored ? chunk : chunk.subarray(0, limit - stored)
      if (stored + piece.length > reserved) {
        if (!budget.tryReserve(stored + piece.length - reserved)) {
          // No room: drop what we hold and answer 503 once the sender has finished.
          overBudget = true
          collected.drop()
          return
        }
        reserved = stored + piece.length
      }
      collected.add(piece)
    })
    req.once('error', () => {
      // The client went away mid-request: there is nobody to acknowledge, so nothing is recorded.
      budget.release(reserved)
    })
    req.once('end', () => {
      if (overBudget) {
        budget.release(reserved)
        this.refuse(req, res, true)
        return
      }
      const request = this.incoming(req, receivedAt, started, collected.body(), size)
      this.options.ingress.handle(request).then(
        (response) => {
          budget.release(reserved)
          this.answerAfterDelay(res, response, request.truncated || response.status === 503)
        },
        (error: unknown) => {
          // handle() never rejects; should it, the sender still gets an answer.
          budget.release(reserved)
          this.options.logger.error('capture failed', { endpoint: this.options.endpointId, error: (error as Error).message })
          this.answer(res, { status: 503, headers: [], body: Buffer.alloc(0) }, true)
        }
      )
    })
  }

  private answerAfterDelay(res: ServerResponse, response: OutgoingResponse, close: boolean): void {
    if (!response.delayMs || response.delayMs <= 0 || this.closing) {
      this.answer(res, response, close)
      return
    }
    const answerNow = () => {
      clearTimeout(timer)
      this.delayed.delete(answerNow)
      this.answer(res, response, close)
    }
    const timer = setTimeout(answerNow, response.delayMs)
    this.delayed.add(answerNow)
    // A sender that gives up while we wait needs no answer.
    res.once('close', () => {
      clearTimeout(timer)
      this.delayed.delete(answerNow)
    })
  }

  private incoming(req: IncomingMessage, receivedAt: number, started: number, body: Buffer, size: number): IncomingRequest {
    return {
      endpointId: this.options.endpointId,
      receivedAt,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      method: req.method ?? '',
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: pairs(req.rawHeaders),
      trailers: pairs(req.rawTrailers),
      body,
      bodySize: size,
      truncated: size > body.length,
      remoteAddress: req.socket.remoteAddress ?? '',
      remotePort: req.socket.remotePort ?? 0,
      tls: this.options.tls ? (connectionTlsFacts(req.socket) ?? null) : null,
      source: { kind: 'listener' }
    }
  }

  /** Over the in-flight budget: 503 with Retry-After, listed among the refused connections. */
  private refuse(req: IncomingMessage, res: ServerResponse, bodyRead: boolean): void {
    const { budget } = this.options
    const recorded = this.options.onRejected({
      remoteAddress: req.socket.remoteAddress ?? '',
      remotePort: req.socket.remotePort ?? 0,
      rejection: {
        code: 'over-capacity',
        reason: `${req.method} ${req.url} refused with 503: ${Math.round(budget.limit / 1024 / 1024)} MiB of request bodies are waiting to be stored; retry after ${RETRY_AFTER_SECONDS} s`,
        facts: this.options.tls ? (connectionTlsFacts(req.socket) ?? null) : null,
        hello: null
      }
    })
    if (!bodyRead) req.resume()
    const refused: OutgoingResponse = {
      status: 503,
      headers: [
        ['Retry-After', String(RETRY_AFTER_SECONDS)],
        ['Content-Type', 'application/json']
      ],
      body: Buffer.from('{"error":"too many request bodies in flight; retry later"}')
    }
    void recorded.then(() => this.answer(res, refused, true))
  }

  /** CONNECT asks for a tunnel. Recorded like any request, answered 405, and the connection closed. */
  private onConnect(req: IncomingMessage, socket: Duplex): void {
    socket.on('error', () => socket.destroy())
    const request = this.incoming(req, this.options.clock.now(), performance.now(), Buffer.alloc(0), 0)
    void this.options.ingress.handle(request).then((response) => {
      if (socket.destroyed) return
      const head = [`HTTP/${req.httpVersion === '1.0' ? '1.0' : '1.1'} ${response.status} ${STATUS_CODES[response.status] ?? ''}`]
      for (const [name, value] of response.headers) head.push(`${name}: ${value}`)
      head.push(`Content-Length: ${response.body.length}`, 'Connection: close', '', '')
      socket.end(Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), response.body]))
    })
  }

  private answer(res: ServerResponse, response: OutgoingResponse, close: boolean): void {
    if (res.destroyed) return
    const flat: string[] = []
    for (const [name, value] of response.headers) flat.push(name, value)
    flat.push('Content-Length', String(response.body.length))
    if (close || this.closing) flat.push('Connection', 'close')
    try {
      res.writeHead(response.status, flat)
      res.end(response.body)
    } catch (error) {
      this.options.logger.error('could not answer a delivery', { error: (error as Error).message })
      res.destroy()
    }
  }

  /** Malformed HTTP, oversized heads and slow clients end here; answer if possible, never throw. */
  private onClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
    this.options.logger.debug('client error', { code: error.code ?? 'unknown' })
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy()
      return
    }
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request'
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  }
}

function pairs(raw: string[]): RawHeader[] {
  const headers: RawHeader[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!])
  return headers
}

const peers = new WeakMap<object, { remoteAddress: string; remotePort: number }>()

function rememberPeer(raw: Socket): void {
  peers.set(raw, { remoteAddress: raw.remoteAddress ?? '', remotePort: raw.remotePort ?? 0 })
}

/** The client's address: live from the socket, or as noted when its raw connection arrived. */
function peer(socket: TLSSocket): { remoteAddress: string; remotePort: number } {
  if (socket.remoteAddress) return { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort ?? 0 }
  // Node keeps the raw TCP socket of a TLS connection as `_parent` (client-hello.ts relies on it too).
  const raw = (socket as TLSSocket & { _parent?: object })._parent
  return (raw && peers.get(raw)) ?? { remoteAddress: '', remotePort: 0 }
}

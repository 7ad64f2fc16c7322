import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import type { Duplex } from 'node:stream'
import { performance } from 'node:perf_hooks'
import type { RawHeader } from '../../../shared/model/delivery'
import type { EndpointConfig } from '../../../shared/model/endpoint'
import type { CaptureTimeouts, Clock, Logger } from '../engine-types'
import type { DeliveryRecord } from '../store/delivery-record'
import type { TlsRejection } from '../../../shared/model/tls'
import { clientHelloOf, sniffClientHellos, type ClientHelloSniffer } from '../tls/client-hello'
import { handshakeRejection } from '../tls/tls-client-error'
import type { PreparedTlsEndpoint } from '../tls/tls-endpoint'
import { connectionTlsFacts } from '../tls/tls-facts'
import { judgeConnection } from '../tls/tls-server-options'
import { listenError } from './listen-error'
import { renderResponse, type RandomSource, type RenderedResponse } from './render-response'

export interface CaptureListenerOptions {
  /** Read per request, so a changed response or body limit applies without a restart. */
  endpoint: () => EndpointConfig
  timeouts: CaptureTimeouts
  clock: Clock
  logger: Logger
  nextId: () => string
  /** Resolves when the delivery is durable. Only then is the client answered. */
  store: (record: DeliveryRecord) => Promise<void>
  /** Certificates and client-certificate policy for https endpoints; null for plain http. */
  tls: PreparedTlsEndpoint | null
  /** A TLS connection that will never carry a request: refused handshake or client certificate. */
  onRejected: (connection: RejectedTlsConnection) => void
  /** Decides which deliveries get a simulated failure (the endpoint's failure rate); Math.random by default. */
  random?: RandomSource
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
 * as received (`rawHeaders`: case, order, duplicates) and the body bytes exactly (up to the limit),
 * commits the delivery, then answers.
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
        options.onRejected({ ...peer(socket), rejection: judgement.rejection })
        socket.destroy()
      })
      // A failed handshake's socket is already closed when we hear of it: note the peer on arrival.
      server.on('connection', (raw: Socket) => rememberPeer(raw))
      server.on('tlsClientError', (error, socket) => {
        options.onRejected({ ...peer(socket), rejection: handshakeRejection(error, clientHelloOf(socket)) })
      })
      this.server = server
    } else {
      this.server = createServer(http, onRequest)
    }
    this.server.on('clientError', (error, socket) => this.onClientError(error, socket))
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
    const endpoint = this.options.endpoint()
    const limit = endpoint.maxBodyBytes
    const chunks: Buffer[] = []
    let stored = 0
    let size = 0
    // Past the limit we keep reading (and counting) so the client can read our 413; the request
    // timeout bounds how long a sender can keep us draining.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (stored >= limit) return
      const piece = chunk.length <= limit - stored ? chunk : chunk.subarray(0, limit - stored)
      chunks.push(piece)
      stored += piece.length
    })
    req.once('error', () => {
      // The client went away mid-request: there is nobody to acknowledge, so nothing is recorded.
    })
    req.once('end', () => {
      const truncated = size > stored
      const record: DeliveryRecord = {
        id: this.options.nextId(),
        endpointId: endpoint.id,
        receivedAt,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        method: req.method ?? '',
        url: req.url ?? '',
        httpVersion: req.httpVersion,
        headers: pairs(req.rawHeaders),
        contentType: req.headers['content-type'] ?? null,
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, stored),
        bodySize: size,
        truncated,
        responseStatus: truncated ? 413 : endpoint.response.status,
        remoteAddress: req.socket.remoteAddress ?? '',
        remotePort: req.socket.remotePort ?? 0,
        tls: this.options.tls ? (connectionTlsFacts(req.socket) ?? null) : null,
        verdict: null
      }
      // Decided before storing, so the stored status is the one the sender gets (failure rate).
      const response = renderResponse(endpoint, record, this.options.random)
      record.responseStatus = response.status
      this.options.store(record).then(
        () => this.answerAfterDelay(res, response, truncated),
        () => {
          // The store's health logs and counts failures (StoreHealth), not one line per delivery.
          this.answer(res, { status: 503, headers: [['Content-Type', 'application/json']], body: '{"error":"store unavailable"}' }, true)
        }
      )
    })
  }

  private answerAfterDelay(res: ServerResponse, response: RenderedResponse, close: boolean): void {
    if (response.delayMs <= 0 || this.closing) return this.answer(res, response, close)
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

  private answer(res: ServerResponse, response: { status: number; headers: RawHeader[]; body: string }, close: boolean): void {
    if (res.destroyed) return
    const flat: string[] = []
    for (const [name, value] of response.headers) flat.push(name, value)
    flat.push('Content-Length', String(Buffer.byteLength(response.body)))
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
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout'
      : error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
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

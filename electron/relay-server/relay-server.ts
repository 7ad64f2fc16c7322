import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import type { RawHeader } from '../../shared/model/delivery'
import type { Clock, Logger } from '../engine/engine-types'
import { TUNNEL_MAX_MESSAGE_BYTES, TUNNEL_PROTOCOL } from '../engine/tunnel/tunnel-frames'
import { parseChannelRequest } from './channel-request'
import { ChannelSession, type ChannelSessionDeps, short } from './channel-session'
import { MemoryBackend } from './memory-backend'
import { RateLimiter } from './rate-limiter'
import { RedisBackend } from './redis-backend'
import { bearerToken, CHANNEL_ID_PATTERN, hashToken, newChannelId, newClientToken, newDeliveryId, tokenMatches } from './relay-secrets'
import type { ChannelRecord, OfflineAnswer, QueueLimits, RelayBackend } from './relay-types'
import { ReplyWaiter, type ResponseReply } from './reply-waiter'
import { formatRequestLine } from './request-line'

export interface RelayServerOptions {
  host: string
  port: number
  /** Base URL senders and clients use (behind a proxy or TLS terminator); default http://host:port. */
  publicUrl: string | null
  /** Required for POST /channels unless `open`. */
  adminToken: string | null
  open: boolean
  /** Shared state for several instances; null keeps everything in this process. */
  redisUrl: string | null
  maxBodyBytes: number
  queue: QueueLimits
  /** Requests per second per channel (bursts up to twice that); 0 turns the limit off. */
  ratePerSecond: number
  heartbeatMs: number
  /** How long a sender waits for the client's answer before getting the queued answer. */
  responseTimeoutMs: number
  headersTimeoutMs: number
  requestTimeoutMs: number
  maxHeaderLines: number
  /** Live deliveries in flight to one client at once. */
  window: number
  /** How long stop() waits for answers in flight. */
  stopGraceMs: number
}

export const DEFAULT_RELAY_OPTIONS: RelayServerOptions = {
  host: '127.0.0.1',
  port: 8787,
  publicUrl: null,
  adminToken: null,
  open: false,
  redisUrl: null,
  maxBodyBytes: 32 * 1024 * 1024,
  queue: { maxCount: 1_000, maxBytes: 256 * 1024 * 1024, ttlMs: 24 * 3600 * 1000 },
  ratePerSecond: 100,
  heartbeatMs: 15_000,
  responseTimeoutMs: 30_000,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 120_000,
  maxHeaderLines: 200,
  window: 64,
  stopGraceMs: 5_000
}

export interface RelayServerDeps {
  clock: Clock
  logger: Logger
  /** One line per public request. */
  requestLine(line: string): void
}

export interface RelayServer {
  /** Where this instance listens, e.g. http://127.0.0.1:8787 */
  url: string
  publicUrl: string
  backend: 'memory' | 'redis'
  instanceId: string
  stop(): Promise<void>
}

/** Bodies of the relay's own answers. */
const JSON_TYPE: RawHeader = ['Content-Type', 'application/json']
/** Framing is ours: the client's values would not match what we send. */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'proxy-connection', 'te', 'trailer'])

/**
 * `hookscope relay-server`: public URLs for channels, and a WebSocket per channel for the tunnel
 * client that answers them. A sender's request goes to the client and the client's answer comes
 * back to the sender; with no client connected the request is queued and the sender gets the
 * channel's offline answer (202 with the queue position by default).
 */
export async function startRelayServer(options: RelayServerOptions, deps: RelayServerDeps): Promise<RelayServer> {
  const { clock, logger } = deps
  const instanceId = randomBytes(8).toString('hex')
  const backend: RelayBackend = options.redisUrl
    ? await RedisBackend.connect(options.redisUrl, instanceId, logger)
    : new MemoryBackend(instanceId, () => clock.now())
  const adminHash = options.adminToken ? hashToken(options.adminToken) : null
  const limiter = options.ratePerSecond > 0 ? new RateLimiter(options.ratePerSecond, options.ratePerSecond * 2, () => clock.now()) : null
  const channelCache = new Map<string, ChannelRecord>()
  const waiters = new Map<string, ReplyWaiter>()
  const sessions = new Set<ChannelSession>()
  const openAnswers = new Set<Promise<void>>()
  let stopping = false
  let publicUrl = options.publicUrl?.replace(/\/+$/, '') ?? ''

  backend.onReply((reply) => waiters.get(reply.deliveryId)?.receive(reply))
  const routeReply: ChannelSessionDeps['reply'] = (target, reply) => {
    if (target === instanceId) waiters.get(reply.deliveryId)?.receive(reply)
    else backend.reply(target, reply).catch((error: Error) => logger.warn('could not route an answer', { error: error.message }))
  }

  const loadChannel = async (id: string): Promise<ChannelRecord | null> => {
    if (!CHANNEL_ID_PATTERN.test(id)) return null
    const cached = channelCache.get(id)
    if (cached) return cached
    const found = await backend.loadChannel(id)
    // Channels never change once made: remembering them saves a Redis round trip per request.
    if (found) channelCache.set(id, found)
    return found
  }

  const server: Server = createServer(
    {
      maxHeaderSize: 64 * 1024,
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs)
    },
    (req, res) => {
      const answered = handle(req, res).catch((error: unknown) => {
        logger.error('relay request failed', { error: error instanceof Error ? error.message : String(error) })
        send(res, 500, [JSON_TYPE], '{"error":"internal error"}')
      })
      openAnswers.add(answered)
      void answered.finally(() => openAnswers.delete(answered))
    }
  )
  // A sender that half-closes after its body still waits for the answer, which comes after a round
  // trip to the client: answer it, then close (Node's default would drop the request on the FIN).
  ;(server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy()
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request'
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  })

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: TUNNEL_MAX_MESSAGE_BYTES,
    handleProtocols: (protocols) => (protocols.has(TUNNEL_PROTOCOL) ? TUNNEL_PROTOCOL : false)
  })
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void upgrade(req, socket, head).catch((error: unknown) => {
      logger.warn('tunnel connection failed', { error: error instanceof Error ? error.message : String(error) })
      refuseUpgrade(socket, 503, 'Service Unavailable')
    })
  })

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const route = parseChannelRequest(req.url ?? '')
    if (stopping || !route || route.rest !== '/connect') return refuseUpgrade(socket, stopping ? 503 : 404, stopping ? 'Service Unavailable' : 'Not Found')
    const channel = await loadChannel(route.channelId)
    const token = bearerToken(req.headers.authorization)
    // Unknown channel and wrong token look alike: the answer says nothing about which ids exist.
    if (!channel || token === null || !tokenMatches(token, channel.tokenHash)) return refuseUpgrade(socket, 401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const session = new ChannelSession(channel.id, randomBytes(8).toString('hex'), ws, socket, channelUrl(channel.id), {
        backend,
        limits: options.queue,
        heartbeatMs: options.heartbeatMs,
        window: options.window,
        maxResponseBytes: options.maxBodyBytes,
        logger,
        reply: routeReply
      })
      sessions.add(session)
      void session.closedPromise.then(() => {
        sessions.delete(session)
        logger.info('tunnel client disconnected', { channel: short(channel.id) })
      })
      logger.info('tunnel client connected', { channel: short(channel.id), remote: req.socket.remoteAddress })
      session.start().catch((error: Error) => {
        logger.warn('tunnel session could not start', { error: error.message })
        session.close(1011, 'relay error')
      })
    })
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/'
    if (url === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      const ok = backend.healthy() && !stopping
      const body = JSON.stringify({
        status: ok ? 'ok' : stopping ? 'stopping' : 'degraded',
        backend: backend.kind,
        instance: instanceId,
        clients: sessions.size
      })
      return send(res, ok ? 200 : 503, [JSON_TYPE], body)
    }
    if (url === '/channels' || url === '/channels/') {
      if (req.method !== 'POST') return send(res, 405, [JSON_TYPE, ['Allow', 'POST']], '{"error":"use POST"}')
      return createChannel(req, res)
    }
    const route = parseChannelRequest(url)
    if (!route) return send(res, 404, [JSON_TYPE], '{"error":"not found"}')
    return relayRequest(req, res, route.channelId, route.rest)
  }

  async function createChannel(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!options.open) {
      const token = bearerToken(req.headers.authorization)
      if (!adminHash || token === null || !tokenMatches(token, adminHash)) {
        req.resume()
        return send(res, 401, [JSON_TYPE, ['WWW-Authenticate', 'Bearer']], '{"error":"admin token required"}')
      }
    }
    const raw = await readBody(req, 64 * 1024)
    if (raw === null) return send(res, 413, [JSON_TYPE], '{"error":"request body too large"}')
    let offlineAnswer: OfflineAnswer | null
    try {
      offlineAnswer = parseOfflineAnswer(raw)
    } catch (error) {
      return send(res, 400, [JSON_TYPE], JSON.stringify({ error: (error as Error).message }))
    }
    const clientToken = newClientToken()
    const channel: ChannelRecord = { id: newChannelId(), tokenHash: hashToken(clientToken), createdAt: clock.now(), offlineAnswer }
    await backend.saveChannel(channel)
    channelCache.set(channel.id, channel)
    logger.info('channel created', { channel: short(channel.id) })
    send(res, 201, [JSON_TYPE], JSON.stringify({ id: channel.id, url: channelUrl(channel.id), clientToken }))
  }

  async function relayRequest(req: IncomingMessage, res: ServerResponse, channelId: string, rest: string): Promise<void> {
    const started = performance.now()
    const receivedAt = clock.now()
    const line = (status: number, outcome: string, size: number) =>
      deps.requestLine(formatRequestLine({ at: receivedAt, method: req.method ?? '', channelId, rest, size, status, outcome, ms: performance.now() - started }))

    if (stopping) {
      req.resume()
      line(503, 'stopping', 0)
      return send(res, 503, [JSON_TYPE, ['Retry-After', '5'], ['Connection', 'close']], '{"error":"relay stopping"}')
    }
    const channel = await loadChannel(channelId)
    if (!channel) {
      req.resume()
      line(404, 'unknown channel', 0)
      return send(res, 404, [JSON_TYPE], '{"error":"no such channel"}')
    }
    if (limiter && !limiter.take(channel.id)) {
      req.resume()
      line(429, 'rate limited', 0)
      return send(res, 429, [JSON_TYPE, ['Retry-After', String(limiter.retryAfterSeconds())]], '{"error":"too many requests for this channel"}')
    }
    if (req.rawHeaders.length / 2 > options.maxHeaderLines) {
      req.resume()
      line(431, 'too many headers', 0)
      return send(res, 431, [JSON_TYPE, ['Connection', 'close']], '{"error":"too many header lines"}')
    }
    const body = await readBody(req, options.maxBodyBytes)
    if (body === null) {
      line(413, 'body too large', options.maxBodyBytes)
      return send(res, 413, [JSON_TYPE, ['Connection', 'close']], JSON.stringify({ error: `body over ${options.maxBodyBytes} bytes` }))
    }
    const id = newDeliveryId()
    const head = {
      method: req.method ?? '',
      target: rest,
      httpVersion: req.httpVersion,
      headers: pairs(req.rawHeaders),
      publicUrl: `${publicUrl}${req.url ?? ''}`,
      receivedAt,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      remoteAddress: req.socket.remoteAddress ?? '',
      remotePort: req.socket.remotePort ?? 0
    }
    const live = await backend.isClaimed(channel.id)
    // Registered before the enqueue, so an answer can never arrive before anyone listens for it.
    const waiter = live ? new ReplyWaiter() : null
    if (waiter) waiters.set(id, waiter)
    try {
      const queued = await backend.enqueue(channel.id, { id, head, body, replyTo: waiter ? instanceId : null }, options.queue)
      if (!queued.ok) {
        line(503, `queue full (${queued.reason})`, body.length)
        return send(res, 503, [JSON_TYPE, ['Retry-After', '60']], '{"error":"the channel queue is full; retry later"}')
      }
      void backend.wake(channel.id).catch((error: Error) => logger.warn('could not wake the channel', { error: error.message }))
      if (!waiter) {
        line(offline(channel, id, queued.position).status, `queued #${queued.position}`, body.length)
        return sendOffline(res, channel, id, queued.position)
      }
      const settled = await settleLive(channel.id, id, queued.seq, waiter)
      if (settled.kind === 'unavailable') {
        line(503, 'relay store unavailable', body.length)
        return send(res, 503, [JSON_TYPE, ['Retry-After', '5']], '{"error":"the relay could not keep this delivery; retry later"}')
      }
      if (settled.kind === 'queued') {
        const position = settled.position ?? (await backend.pending(channel.id).catch(() => queued.position))
        line(offline(channel, id, position).status, `${settled.why}, queued #${position}`, body.length)
        return sendOffline(res, channel, id, position)
      }
      const reply = settled.reply
      const headers = reply.headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))
      if (!sendRaw(res, reply.status, headers, reply.body)) {
        line(502, 'bad answer from the client', body.length)
        return send(res, 502, [JSON_TYPE], '{"error":"the tunnel client answered with an invalid response"}')
      }
      line(reply.status, 'live', body.length)
    } finally {
      waiters.delete(id)
    }
  }

  /**
   * Who answers a live sender: the client, or the relay itself when the client's answer does not
   * come in time or the client leaves with the delivery. The relay answers only once the queue
   * entry is marked as answered (a backlog entry), so the client's answer, if it comes later, does
   * not acknowledge it: it is sent again as queued and kept until stored. The mark and the
   * session's acknowledgement are atomic in the backend; whichever comes first decides, so the
   * sender gets exactly one answer and the delivery is never dropped unstored.
   */
  async function settleLive(
    channelId: string,
    id: string,
    seq: string,
    waiter: ReplyWaiter
  ): Promise<{ kind: 'response'; reply: ResponseReply } | { kind: 'queued'; position: number | null; why: string } | { kind: 'unavailable' }> {
    await waiter.until(() => waiter.response !== null || waiter.requeued !== null, options.responseTimeoutMs)
    if (waiter.response) return { kind: 'response', reply: waiter.response }
    const why = waiter.requeued ? 'client left' : 'no answer yet'
    let marked: boolean
    try {
      marked = await backend.markAnswered(channelId, seq, id)
    } catch (error) {
      // A queued answer now could lose it (the client's 503 would still acknowledge it): the sender retries instead.
      logger.warn('could not mark a delivery as answered', { channel: short(channelId), error: (error as Error).message })
      return { kind: 'unavailable' }
    }
    if (marked) return { kind: 'queued', position: waiter.requeued?.position ?? null, why }
    // No longer queued: the client answered and the delivery was acknowledged, its answer routed
    // here before that (over the Redis bus, maybe still on its way).
    if (await waiter.until(() => waiter.response !== null, options.responseTimeoutMs)) return { kind: 'response', reply: waiter.response! }
    return { kind: 'queued', position: null, why: 'answer lost' }
  }

  function channelUrl(id: string): string {
    return `${publicUrl}/c/${id}`
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (error: NodeJS.ErrnoException) => {
    await backend.close()
    throw new Error(error.code === 'EADDRINUSE' ? `port ${options.port} on ${options.host} is in use` : error.message)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`
  if (!publicUrl) publicUrl = url

  let stopped: Promise<void> | undefined
  return {
    url,
    publicUrl,
    backend: backend.kind,
    instanceId,
    stop() {
      stopped ??= (async () => {
        stopping = true
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        // Clients reconnect (maybe to another instance); what they had in flight stays queued and
        // its senders get the queued answer now.
        for (const session of sessions) session.close()
        await Promise.all([...sessions].map((session) => session.closedPromise))
        const grace = setTimeout(() => server.closeAllConnections(), options.stopGraceMs)
        await Promise.allSettled([...openAnswers])
        await closed
        clearTimeout(grace)
        wss.close()
        await backend.close()
      })()
      return stopped
    }
  }
}

function offline(channel: ChannelRecord, id: string, position: number): { status: number; headers: RawHeader[]; body: string } {
  const answer = channel.offlineAnswer
  if (!answer) return { status: 202, headers: [JSON_TYPE], body: JSON.stringify({ queued: true, position, id }) }
  return { ...answer, body: answer.body.replaceAll('{position}', String(position)).replaceAll('{id}', id) }
}

function sendOffline(res: ServerResponse, channel: ChannelRecord, id: string, position: number): void {
  const answer = offline(channel, id, position)
  send(res, answer.status, [...answer.headers, ['Hookscope-Queue-Position', String(position)]], answer.body)
}

function send(res: ServerResponse, status: number, headers: RawHeader[], body: string): void {
  sendRaw(res, status, headers, Buffer.from(body, 'utf8'))
}

/** Writes a whole answer with our own Content-Length; false when Node refuses the status or a header. */
function sendRaw(res: ServerResponse, status: number, headers: RawHeader[], body: Buffer): boolean {
  if (res.headersSent || res.destroyed) return true
  const flat: string[] = []
  for (const [name, value] of headers) flat.push(name, value)
  flat.push('Content-Length', String(body.length))
  try {
    res.writeHead(status, flat)
  } catch {
    return false
  }
  res.end(body)
  return true
}

/** The whole body, or null past `limit` (the rest is discarded while we answer 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        if (!over) {
          over = true
          chunks.length = 0
          resolve(null)
        }
        return
      }
      chunks.push(chunk)
    })
    req.once('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size))
    })
    req.once('error', () => resolve(null))
    req.once('close', () => {
      if (!req.complete && !over) resolve(null)
    })
  })
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  else socket.destroy()
}

function pairs(raw: string[]): RawHeader[] {
  const headers: RawHeader[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!])
  return headers
}

function parseOfflineAnswer(raw: Buffer): OfflineAnswer | null {
  if (raw.length === 0) return null
  let input: unknown
  try {
    input = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new Error('body must be JSON')
  }
  const answer = (input as { offlineAnswer?: unknown } | null)?.offlineAnswer
  if (answer === undefined || answer === null) return null
  const { status, headers = [], body = '' } = answer as { status?: unknown; headers?: unknown; body?: unknown }
  if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) throw new Error('offlineAnswer.status: 200 to 599')
  if (typeof body !== 'string' || body.length > 64 * 1024) throw new Error('offlineAnswer.body: a string of at most 64 KiB')
  const validHeader = (pair: unknown) =>
    Array.isArray(pair) &&
    pair.length === 2 &&
    typeof pair[0] === 'string' &&
    /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(pair[0]) &&
    typeof pair[1] === 'string' &&
    /^[\t\x20-\x7e]*$/.test(pair[1])
  if (!Array.isArray(headers) || headers.length > 50 || !headers.every(validHeader)) throw new Error('offlineAnswer.headers: [[name, value], ...]')
  return { status: status as number, headers: headers as RawHeader[], body }
}

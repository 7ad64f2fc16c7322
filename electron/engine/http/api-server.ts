import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import { z } from 'zod'
import { type AppInfo, deliveryQuerySchema } from '../../../shared/api/contract'
import { API_EVENTS_PATH, API_EXPORT_PATH, API_INVOKE_PREFIX, EXPORT_COUNT_HEADER, RUN_HASH_PARAM, RUN_ID_HEADER } from '../../../shared/api/http-routes'
import { toWireFailure, toWireResult, type WireResult } from '../../../shared/api/result'
import { EngineError } from '../../../shared/errors'
import { displayUrl } from '../capture/display-url'
import { listenError } from '../capture/listen-error'
import type { Engine, Logger } from '../engine-types'
import { httpStatusFor } from './error-status'
import { bearerToken, isAllowedHost, isAllowedOrigin, tokenMatches } from './request-guard'
import { readStaticFile } from './static-files'

export interface ApiServerOptions {
  engine: Pick<Engine, 'invoke' | 'subscribe' | 'exportDeliveries'>
  /** Per-run secret; every API call and the event stream must present it. */
  token: string
  /** Built renderer (out/renderer); null serves the API only. */
  rendererDir: string | null
  host: string
  port: number
  logger: Logger
}

export interface ApiServer {
  port: number
  /** Where a browser opens the UI; the token rides in the hash, which never reaches a server. */
  uiUrl: string
  close(): Promise<void>
}

const MAX_API_BODY = 2 * 1024 * 1024
/** A browser tab that stops reading must not make the engine buffer without end. */
const MAX_WS_BUFFERED = 16 * 1024 * 1024

const SECURITY_HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin']
]
const DOCUMENT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * The headless transport: the shared contract over HTTP (POST /api/invoke/<method>) plus a
 * WebSocket event stream, and the built UI as static files. Every request must come with an
 * IP-literal or localhost Host on our port and, from browsers, our own Origin; the API and the
 * stream also need the per-run token. No CORS headers are ever sent: same origin only.
 */
const exportRequestSchema = z.strictObject({ format: z.enum(['ndjson', 'har']), query: deliveryQuerySchema })

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { engine, token, logger } = options
  // Sent with every API answer, 401 included: a tab from an earlier run learns it is one.
  const { runId } = (await engine.invoke('app.info', {})) as AppInfo
  const runHeader: [string, string] = [RUN_ID_HEADER, runId]
  const sendJson = (res: ServerResponse, status: number, result: WireResult<unknown>) => writeJson(res, status, result, runHeader)
  let port = options.port
  const sockets = new Set<WebSocket>()
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 })

  const server = createServer((req, res) => {
    if (!isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, req.headers.host)) {
      return sendJson(res, 403, toWireFailure(new EngineError('FORBIDDEN', 'wrong Host or Origin')))
    }
    const path = (req.url ?? '/').split('?')[0]!
    if (path.startsWith(API_INVOKE_PREFIX)) return void handleInvoke(req, res, path.slice(API_INVOKE_PREFIX.length))
    if (path === API_EXPORT_PATH) return void handleExport(req, res)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, toWireFailure(new EngineError('BAD_INPUT', 'method not allowed')))
    }
    void serveStatic(req, res, path)
  })

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (url.pathname !== API_EVENTS_PATH) return refuse('404 Not Found')
    if (!isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, req.headers.host)) {
      return refuse('403 Forbidden')
    }
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuse('401 Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => attachEventStream(ws))
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  function attachEventStream(ws: WebSocket): void {
    sockets.add(ws)
    const unsubscribe = engine.subscribe((event) => {
      if (ws.bufferedAmount > MAX_WS_BUFFERED) {
        // The client will reconnect and refetch (stream.reset) rather than us holding gigabytes.
        ws.close(1013, 'too slow')
        return
      }
      ws.send(JSON.stringify(event))
    })
    ws.on('close', () => {
      unsubscribe()
      sockets.delete(ws)
    })
    ws.on('error', () => ws.terminate())
  }

  /** Checks method, token and content type, then reads the JSON body; answers and returns undefined on failure. */
  async function readApiCall(req: IncomingMessage, res: ServerResponse): Promise<{ params: unknown } | undefined> {
    if (req.method !== 'POST') return void sendJson(res, 405, fail('BAD_INPUT', 'use POST'))
    if (!tokenMatches(token, bearerToken(req.headers.authorization))) {
      return void sendJson(res, 401, fail('UNAUTHORIZED', 'missing or wrong token'))
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return void sendJson(res, 415, fail('BAD_INPUT', 'Content-Type must be application/json'))
    }
    try {
      const text = await readBody(req, MAX_API_BODY)
      return { params: text.length === 0 ? {} : JSON.parse(text) }
    } catch (error) {
      if (error instanceof EngineError) {
        // The rest of the body is still on the wire: answer, then drop the connection.
        res.shouldKeepAlive = false
        return void sendJson(res, 413, toWireFailure(error))
      }
      return void sendJson(res, 400, fail('BAD_INPUT', 'the request body is not valid JSON'))
    }
  }

  async function handleInvoke(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const call = await readApiCall(req, res)
    if (!call) return
    const { params } = call
    try {
      const value = await engine.invoke(safeDecode(method), params)
      sendJson(res, 200, toWireResult(value))
    } catch (error) {
      if (!(error instanceof EngineError)) {
        logger.error('API method failed', { method, error: error instanceof Error ? error.message : String(error) })
      }
      const failure = toWireFailure(error)
      sendJson(res, failure.ok ? 200 : httpStatusFor(failure.error.code), failure)
    }
  }

  /**
   * The deliveries a query matches as NDJSON or HAR, streamed as it is read (one delivery per line),
   * waiting for the socket between chunks so a large export never piles up in memory.
   */
  async function handleExport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call = await readApiCall(req, res)
    if (!call) return
    const parsed = exportRequestSchema.safeParse(call.params)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      return sendJson(res, 400, fail('BAD_INPUT', `export: ${issue ? `${issue.path.join('.') || 'params'}: ${issue.message}` : 'bad params'}`))
    }
    const { format, query } = parsed.data
    let stream: ReturnType<typeof engine.exportDeliveries>
    try {
      stream = engine.exportDeliveries(format, query)
    } catch (error) {
      const failure = toWireFailure(error)
      return sendJson(res, failure.ok ? 500 : httpStatusFor(failure.error.code), failure)
    }
    res.writeHead(200, [
      ...SECURITY_HEADERS.flat(),
      ...runHeader,
      'Content-Type',
      format === 'har' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'Cache-Control',
      'no-store',
      EXPORT_COUNT_HEADER,
      String(stream.total)
    ])
    try {
      for (const chunk of stream.chunks) {
        if (res.destroyed) return
        if (!res.write(chunk)) await waitForDrain(res)
      }
      res.end()
    } catch (error) {
      // Headers are gone: all we can do is cut the stream so the page sees an incomplete export.
      logger.error('export failed', { error: error instanceof Error ? error.message : String(error) })
      res.destroy()
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const file = options.rendererDir ? await readStaticFile(options.rendererDir, path) : null
    if (!file) {
      res.writeHead(404, [...SECURITY_HEADERS.flat(), 'Content-Type', 'text/plain; charset=utf-8'])
      return void res.end('not found')
    }
    const headers = [...SECURITY_HEADERS.flat(), 'Content-Type', file.contentType, 'Content-Length', String(file.body.length)]
    headers.push('Cache-Control', file.isDocument ? 'no-store' : 'no-cache')
    if (file.isDocument) headers.push('Content-Security-Policy', DOCUMENT_CSP)
    res.writeHead(200, headers)
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port)))
    server.listen({ host: options.host, port: options.port }, () => resolve())
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : options.port
  // Keep-alive to the UI is cheap; the check interval only matters for stuck clients.
  server.keepAliveTimeout = 5_000

  return {
    port,
    uiUrl: `${displayUrl('http', options.host, port)}#token=${token}&${RUN_HASH_PARAM}=${runId}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate()
        wss.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

function fail(code: 'BAD_INPUT' | 'UNAUTHORIZED', message: string): WireResult<never> {
  return toWireFailure(new EngineError(code, message))
}

function writeJson(res: ServerResponse, status: number, result: WireResult<unknown>, extraHeaders: string[]): void {
  const body = JSON.stringify(result)
  res.writeHead(status, [
    ...SECURITY_HEADERS.flat(),
    ...extraHeaders,
    'Content-Type',
    'application/json; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(body)),
    'Cache-Control',
    'no-store'
  ])
  res.end(body)
}

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** A method name as sent; a malformed escape stays as it is and fails as an unknown method. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const declared = Number(req.headers['content-length'])
    if (declared > limit) {
      req.pause()
      return reject(new EngineError('BAD_INPUT', `request body exceeds ${limit} bytes`))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        req.pause()
        chunks.length = 0
        reject(new EngineError('BAD_INPUT', `request body exceeds ${limit} bytes`))
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

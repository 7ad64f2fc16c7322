import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from 'node:https'
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net'
import type { RawHeader } from '../../shared/model/delivery'

/** One request as a target received it: head exactly as on the wire (order, case, duplicates). */
export interface ReceivedRequest {
  method: string
  url: string
  headers: RawHeader[]
  body: Buffer
  /** The TLS client certificate's subject CN, when one was presented. */
  clientCertCn: string | null
}

export type TargetBehaviour = (req: IncomingMessage, res: ServerResponse, received: ReceivedRequest) => void

export interface TargetServer {
  url: string
  port: number
  requests: ReceivedRequest[]
  /** Resolves once `count` requests have arrived (or rejects after `timeoutMs`). */
  waitForRequests(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>
  close(): Promise<void>
}

/** A port nothing listens on: bound once, then closed. */
export async function closedPort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** A loopback target (http, or https with `tls`) whose answer is `behaviour`. */
export function startTarget(behaviour: TargetBehaviour, tls?: HttpsServerOptions): Promise<TargetServer> {
  const requests: ReceivedRequest[] = []
  const waiters = new Set<() => void>()
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const peer = (req.socket as Socket & { getPeerCertificate?: () => { subject?: { CN?: string } } }).getPeerCertificate?.()
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: pairs(req.rawHeaders),
        body: Buffer.concat(chunks),
        clientCertCn: peer?.subject?.CN ?? null
      }
      requests.push(received)
      for (const wake of waiters) wake()
      behaviour(req, res, received)
    })
  }
  const server: Server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest)
  return listen(server, tls ? 'https' : 'http', requests, waiters)
}

/** Answers `status` with `headers` and `body`. */
export function answer(status: number, body: string | Buffer = '', headers: RawHeader[] = []): TargetBehaviour {
  return (_req, res) => {
    const flat = headers.flat()
    res.writeHead(status, flat)
    res.end(body)
  }
}

/** Never answers (the connection stays open until the server closes). */
export const hang: TargetBehaviour = () => undefined

/** Drops the connection without a word. */
export const reset: TargetBehaviour = (req) => req.socket.destroy()

/** Holds every answer until `release()`; `held` counts requests waiting. */
export function held(status = 200, body = 'late') {
  const pending: ServerResponse[] = []
  const waiters = new Set<() => void>()
  return {
    behaviour: ((_req, res) => {
      pending.push(res)
      for (const wake of waiters) wake()
    }) as TargetBehaviour,
    get count() {
      return pending.length
    },
    /** Resolves once `count` requests are held. */
    waitForHeld(count: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (pending.length < count) return
          waiters.delete(check)
          resolve()
        }
        waiters.add(check)
        check()
      })
    },
    release() {
      for (const res of pending.splice(0)) {
        res.writeHead(status, ['Content-Type', 'text/plain'])
        res.end(body)
      }
    }
  }
}

/**
 * A target that writes `response` byte for byte (status line, header case and order, body) to
 * every request, then closes: for checking that passthrough hands it on exactly.
 */
export function startRawTarget(response: Buffer): Promise<TargetServer> {
  const requests: ReceivedRequest[] = []
  const waiters = new Set<() => void>()
  const server = createNetServer((socket) => {
    let buffered = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const headEnd = buffered.indexOf('\r\n\r\n')
      if (headEnd === -1) return
      const head = buffered.subarray(0, headEnd).toString('latin1').split('\r\n')
      const headers = head.slice(1).map((line): RawHeader => {
        const colon = line.indexOf(':')
        return [line.slice(0, colon), line.slice(colon + 1).trim()]
      })
      const length = Number(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? 0)
      if (buffered.length < headEnd + 4 + length) return
      const [method, url] = head[0]!.split(' ')
      requests.push({ method: method!, url: url!, headers, body: buffered.subarray(headEnd + 4, headEnd + 4 + length), clientCertCn: null })
      for (const wake of waiters) wake()
      socket.end(response)
    })
    socket.on('error', () => undefined)
  })
  return listen(server, 'http', requests, waiters)
}

function listen(
  server: Server | ReturnType<typeof createNetServer>,
  scheme: 'http' | 'https',
  requests: ReceivedRequest[],
  waiters: Set<() => void>
): Promise<TargetServer> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        port,
        requests,
        waitForRequests(count, timeoutMs = 10_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (requests.length < count) return
              clearTimeout(timer)
              waiters.delete(check)
              done(requests.slice(0, count))
            }
            const timer = setTimeout(() => {
              waiters.delete(check)
              fail(new Error(`target got ${requests.length} of ${count} requests within ${timeoutMs} ms`))
            }, timeoutMs)
            waiters.add(check)
            check()
          })
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })
}

function pairs(raw: string[]): RawHeader[] {
  const headers: RawHeader[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!])
  return headers
}

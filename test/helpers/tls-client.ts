import { execFile } from 'node:child_process'
import { createServer, type RequestOptions, request, type Server, type ServerOptions } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { SecureVersion, TLSSocket } from 'node:tls'
import { clientHelloOf, sniffClientHellos } from '../../electron/engine/tls/client-hello'
import { handshakeRejection } from '../../electron/engine/tls/tls-client-error'
import { connectionTlsFacts } from '../../electron/engine/tls/tls-facts'
import { judgeConnection, type MtlsPolicy } from '../../electron/engine/tls/tls-server-options'
import type { TlsFacts, TlsRejection } from '../../shared/model/tls'

/** What the judged test server saw, in order. */
export type ServerEvent =
  | { kind: 'request'; url: string; facts: TlsFacts | undefined }
  | { kind: 'refused'; rejection: TlsRejection }
  | { kind: 'handshake-failed'; rejection: TlsRejection; errorCode: string | undefined }

export interface JudgedServer {
  port: number
  events: ServerEvent[]
  /** Resolves once `count` events are recorded (or rejects after `timeoutMs`). */
  waitForEvents(count: number, timeoutMs?: number): Promise<ServerEvent[]>
  close(): Promise<void>
}

/**
 * An HTTPS server shaped like the capture listener will be: judge on 'secureConnection'
 * (prepended, so before the HTTP parser), destroy refused sockets, list failed handshakes, and
 * answer requests with the connection's facts available.
 */
export function startJudgedServer(options: ServerOptions, mtls: MtlsPolicy | null, now: () => number = Date.now): Promise<JudgedServer> {
  const events: ServerEvent[] = []
  const waiters: (() => void)[] = []
  const record = (event: ServerEvent) => {
    events.push(event)
    for (const wake of waiters.splice(0)) wake()
  }
  const server: Server = createServer(options, (req, res) => {
    record({ kind: 'request', url: req.url ?? '', facts: connectionTlsFacts(req.socket) })
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' })
    res.end('ok')
  })
  const sniffer = sniffClientHellos(server, { timeoutMs: 5_000 })
  server.prependListener('secureConnection', (socket: TLSSocket) => {
    const judgement = judgeConnection(socket, mtls, now())
    if (judgement.refuse) {
      record({ kind: 'refused', rejection: judgement.rejection! })
      socket.destroy()
    }
  })
  server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
    record({ kind: 'handshake-failed', rejection: handshakeRejection(error, clientHelloOf(socket)), errorCode: error.code })
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        events,
        waitForEvents(count, timeoutMs = 5_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (events.length >= count) {
                clearTimeout(timer)
                done(events)
                return true
              }
              return false
            }
            const timer = setTimeout(() => fail(new Error(`expected ${count} server event(s), saw ${JSON.stringify(events)}`)), timeoutMs)
            if (check()) return
            const wake = () => {
              if (!check()) waiters.push(wake)
            }
            waiters.push(wake)
          })
        },
        close() {
          sniffer.destroyPending()
          server.closeAllConnections()
          return new Promise((done) => server.close(() => done()))
        }
      })
    })
  })
}

export interface ClientOptions {
  port: number
  /** Trust anchor for the server certificate. */
  ca: string
  cert?: string
  key?: string
  /** Host name for SNI and certificate checking; Node sends no SNI for IP addresses. */
  servername?: string
  maxVersion?: SecureVersion
  minVersion?: SecureVersion
  timeoutMs?: number
}

export type ClientResult =
  | { ok: true; status: number; body: string; protocol: string | null; alpn: string | false | null }
  | { ok: false; code: string; message: string }

/**
 * One request with Node's https client, strict server verification on (rejectUnauthorized and
 * checkServerIdentity defaults). No agent: every call is a fresh handshake, never a resumed one.
 */
export function httpsGet(options: ClientOptions): Promise<ClientResult> {
  return new Promise((resolve) => {
    // ALPNProtocols reaches tls.connect through the request options; @types/node does not list it.
    const requestOptions: RequestOptions & { ALPNProtocols: string[] } = {
      host: '127.0.0.1',
      port: options.port,
      path: '/hook',
      method: 'GET',
      agent: false,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      servername: options.servername,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      ALPNProtocols: ['http/1.1'],
      timeout: options.timeoutMs ?? 5_000
    }
    const req = request(requestOptions, (res) => {
      const socket = res.socket as TLSSocket
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          ok: true,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          protocol: socket.getProtocol?.() ?? null,
          alpn: socket.alpnProtocol ?? null
        })
      )
      res.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }))
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })))
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? 'ERROR', message: error.message }))
    req.end()
  })
}

export interface CurlResult {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * curl, asynchronously: the server runs in this same process, so a blocking spawnSync would
 * deadlock the handshake. `--max-time` and the execFile timeout both bound it.
 */
export function runCurl(args: string[], timeoutMs = 10_000): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['--silent', '--show-error', '--max-time', String(Math.ceil(timeoutMs / 1000)), ...args],
      { timeout: timeoutMs + 2_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0
        resolve({ exitCode: code, stdout, stderr })
      }
    )
  })
}

/** Runs a command (openssl) asynchronously with a bounded timeout. */
export function run(command: string, args: string[], timeoutMs = 20_000): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : -1) : 0
      resolve({ exitCode: code, stdout, stderr })
    })
  })
}

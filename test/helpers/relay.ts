import { connect } from 'node:net'
import type { CaptureIngress, IncomingRequest, OutgoingResponse } from '../../electron/engine/capture/capture-types'
import { systemClock } from '../../electron/engine/clock'
import { silentLogger } from '../../electron/engine/logger'
import { RelayLink } from '../../electron/engine/tunnel/relay-link'
import type { TunnelLinkDeps } from '../../electron/engine/tunnel/tunnel-link'
import { parseTunnelUrl } from '../../electron/engine/tunnel/tunnel-url'
import { DEFAULT_RELAY_OPTIONS, type RelayServer, type RelayServerOptions, startRelayServer } from '../../electron/relay-server/relay-server'
import type { RawHeader } from '../../shared/model/delivery'
import type { TunnelHealth } from '../../shared/model/tunnel'

export interface TestRelay {
  server: RelayServer
  lines: string[]
  createChannel(body?: unknown, token?: string): Promise<Channel>
  stop(): Promise<void>
}

export interface Channel {
  id: string
  url: string
  clientToken: string
}

/** An in-process relay server on 127.0.0.1, port 0, open channel creation unless told otherwise. */
export async function startTestRelay(options: Partial<RelayServerOptions> = {}): Promise<TestRelay> {
  const lines: string[] = []
  const server = await startRelayServer(
    { ...DEFAULT_RELAY_OPTIONS, port: 0, open: true, ratePerSecond: 0, ...options },
    { clock: systemClock, logger: silentLogger, requestLine: (line) => lines.push(line) }
  )
  return {
    server,
    lines,
    async createChannel(body, token) {
      const response = await httpRequest(`${server.url}/channels`, {
        method: 'POST',
        headers: token ? [['Authorization', `Bearer ${token}`]] : [],
        body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body))
      })
      if (response.status !== 201) throw new Error(`POST /channels answered ${response.status}: ${response.body.toString()}`)
      return JSON.parse(response.body.toString()) as Channel
    },
    stop: () => server.stop()
  }
}

export interface HttpResult {
  status: number
  /** Raw header pairs as the client received them. */
  headers: RawHeader[]
  body: Buffer
}

/**
 * One HTTP/1.1 exchange over a fresh TCP connection, with header pairs sent exactly as given
 * (order, case, duplicates: node:http's client cannot) and the answer's raw header pairs.
 * Answers must carry Content-Length (the relay and the capture listener always do).
 */
export function httpRequest(url: string, options: { method?: string; headers?: RawHeader[]; body?: Buffer; timeoutMs?: number } = {}): Promise<HttpResult> {
  const target = new URL(url)
  const body = options.body ?? Buffer.alloc(0)
  const headers: RawHeader[] = [['Host', target.host], ...(options.headers ?? [])]
  if (!headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name)) && (body.length > 0 || (options.method ?? 'POST') === 'POST')) {
    headers.push(['Content-Length', String(body.length)])
  }
  headers.push(['Connection', 'close'])
  const head = `${options.method ?? 'POST'} ${target.pathname}${target.search} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`
  const timeoutMs = options.timeoutMs ?? 30_000
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.hostname, port: Number(target.port) })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer from ${url} within ${timeoutMs} ms`))
    }, timeoutMs)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      const raw = Buffer.concat(chunks)
      const end = raw.indexOf('\r\n\r\n')
      if (end < 0) return reject(new Error(`incomplete answer from ${url}: ${raw.toString('latin1').slice(0, 200)}`))
      const lines = raw.subarray(0, end).toString('latin1').split('\r\n')
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!)?.[1] ?? 0)
      const pairs = lines.slice(1).map((line): RawHeader => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()])
      const length = Number(pairs.find(([name]) => name.toLowerCase() === 'content-length')?.[1] ?? raw.length - end - 4)
      resolve({ status, headers: pairs, body: raw.subarray(end + 4, end + 4 + length) })
    })
    socket.on('connect', () => {
      socket.write(Buffer.from(head, 'latin1'))
      socket.write(body)
    })
  })
}

/** A stand-in for the capture pipeline: records what it is handed and answers with `answer(request)`. */
export class FakeIngress implements CaptureIngress {
  readonly received: IncomingRequest[] = []
  private readonly waiters = new Set<() => void>()

  constructor(private readonly answer: (request: IncomingRequest) => OutgoingResponse | Promise<OutgoingResponse> = defaultAnswer) {}

  async handle(request: IncomingRequest): Promise<OutgoingResponse> {
    this.received.push(request)
    for (const wake of this.waiters) wake()
    return this.answer(request)
  }

  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.received.length < count) return
        finish()
        resolve()
      }
      const timer = setTimeout(() => {
        finish()
        reject(new Error(`${this.received.length} of ${count} requests arrived within ${timeoutMs} ms`))
      }, timeoutMs)
      const finish = () => {
        clearTimeout(timer)
        this.waiters.delete(check)
      }
      this.waiters.add(check)
      check()
    })
  }
}

function defaultAnswer(request: IncomingRequest): OutgoingResponse {
  return { status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ got: request.url })) }
}

/** A RelayLink to `channel` over `ingress`, with its health changes recorded. */
export function startLink(channel: Channel, ingress: CaptureIngress, extra: Partial<TunnelLinkDeps> = {}, token = channel.clientToken) {
  const target = parseTunnelUrl(channel.url)
  if (target?.provider !== 'hookscope') throw new Error(`not a relay channel URL: ${channel.url}`)
  const health: TunnelHealth[] = []
  const healthWaiters = new Set<() => void>()
  const link = new RelayLink(target.url, target.connectUrl, token, {
    endpointId: 'test',
    ingress,
    clock: systemClock,
    logger: silentLogger,
    maxBodyBytes: () => 64 * 1024 * 1024,
    backoff: { initialMs: 20, maxMs: 200 },
    onHealth: (state) => {
      health.push(state)
      for (const wake of healthWaiters) wake()
    },
    ...extra
  })
  link.start()
  return {
    link,
    health,
    /** Resolves with the first health record (past or future) that matches. */
    waitForHealth(match: (state: TunnelHealth) => boolean, timeoutMs = 15_000, from = 0): Promise<TunnelHealth> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = health.slice(from).find(match)
          if (!found) return
          finish()
          resolve(found)
        }
        const timer = setTimeout(() => {
          finish()
          reject(new Error(`no matching tunnel health within ${timeoutMs} ms; last: ${JSON.stringify(health.at(-1))}`))
        }, timeoutMs)
        const finish = () => {
          clearTimeout(timer)
          healthWaiters.delete(check)
        }
        healthWaiters.add(check)
        check()
      })
    }
  }
}

/** startLink, with the link stopped by `cleanups`. */
export function linkStoppedBy(cleanups: Cleanups): (...args: Parameters<typeof startLink>) => ReturnType<typeof startLink> {
  return (...args) => {
    const started = startLink(...args)
    cleanups.add(() => started.link.stop())
    return started
  }
}

/** How many deliveries a fresh connection to `channel` finds queued (the probe stays connected until `cleanups` run). */
export async function queuedAtConnect(channel: Channel, cleanups: Cleanups): Promise<number> {
  const probe = linkStoppedBy(cleanups)(channel, new FakeIngress())
  return (await probe.waitForHealth((state) => state.status === 'connected')).queue.atConnect
}

export type Cleanups = ReturnType<typeof cleanupList>

/** Teardown steps registered as things start, run newest first (in afterEach). */
export function cleanupList() {
  const steps: (() => Promise<unknown>)[] = []
  return {
    add(step: () => Promise<unknown>) {
      steps.push(step)
    },
    async run() {
      for (const step of steps.splice(0).reverse()) await step().catch(() => undefined)
    }
  }
}

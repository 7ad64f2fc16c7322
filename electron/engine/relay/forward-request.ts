import { type Agent, request as httpRequest, type IncomingMessage } from 'node:http'
import { type RequestOptions as HttpsRequestOptions, request as httpsRequest } from 'node:https'
import { performance } from 'node:perf_hooks'
import type { RawHeader } from '../../../shared/model/delivery'
import type { AttemptError } from '../../../shared/model/relay'
import { attemptError, describeForwardError, hostPort, timeoutError } from './attempt-errors'
import { requestTargetOf } from './target-url'
import { systemTimers, type Timers } from './timers'

export interface OutboundRequest {
  url: URL
  method: string
  /** Sent exactly: order, case and duplicates (Node writes a raw header array as is). */
  headers: RawHeader[]
  body: Buffer
}

export interface ForwardOptions {
  /** From connect to the last response byte; 0 waits forever. */
  timeoutMs: number
  /** Keep-alive agent for the target (TLS trust and client certificate live in it). */
  agent: Agent
  /** Response body bytes to keep; the rest is counted and the outcome marked truncated. */
  keepBytes: number
  /** For the timeout; injected so tests can check a timer is (or is not) armed. */
  timers?: Timers
  /** A client certificate is configured (error sentences differ). */
  clientCertificate?: boolean
  /** Aborting gives up at once, with `abortError`. */
  signal?: AbortSignal
  abortError?: () => AttemptError
}

export type ForwardOutcome =
  | {
      ok: true
      status: number
      statusText: string
      /** As received: order, case, duplicates. */
      headers: RawHeader[]
      body: Buffer
      /** Bytes the target sent. */
      bodySize: number
      truncated: boolean
      durationMs: number
    }
  | { ok: false; error: AttemptError; durationMs: number }

/**
 * One HTTP exchange with a forwarding target, with node:http(s): it writes a raw header array
 * byte for byte (undici rewrites Host and Content-Length itself), keeps the response's raw
 * headers, and reuses connections through the agent. Never rejects: every failure is an outcome.
 */
export async function forwardRequest(request: OutboundRequest, options: ForwardOptions): Promise<ForwardOutcome> {
  const first = await exchange(request, options)
  // A kept-alive connection the target closed while idle fails the moment it is reused, before
  // the target read anything: that one is safe (and usual) to try again on a fresh connection.
  if (first.staleSocket) return (await exchange(request, options)).outcome
  return first.outcome
}

function exchange(request: OutboundRequest, options: ForwardOptions): Promise<{ outcome: ForwardOutcome; staleSocket: boolean }> {
  const started = performance.now()
  const elapsed = () => Math.round((performance.now() - started) * 1000) / 1000
  return new Promise((resolve) => {
    let settled = false
    let responded = false
    const timers = options.timers ?? systemTimers
    let timer: unknown
    const finish = (outcome: ForwardOutcome, staleSocket = false) => {
      if (settled) return
      settled = true
      if (timer !== undefined) timers.clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve({ outcome, staleSocket })
    }
    const fail = (error: AttemptError, staleSocket = false) => finish({ ok: false, error, durationMs: elapsed() }, staleSocket)
    const onAbort = () => {
      fail(options.abortError?.() ?? attemptError('CANCELLED', 'cancelled'))
      req.destroy()
    }

    const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send({
      protocol: request.url.protocol,
      hostname: request.url.hostname.replace(/^\[|\]$/g, ''),
      port: request.url.port || undefined,
      method: request.method,
      path: requestTargetOf(request.url),
      headers: flatten(request.headers),
      agent: options.agent,
      // SNI and certificate checks use the name from the URL, whatever the Host header says.
      servername: isIpLiteral(request.url.hostname) ? undefined : request.url.hostname
    } satisfies HttpsRequestOptions)

    if (options.timeoutMs > 0) {
      timer = timers.setTimeout(() => {
        fail(timeoutError(request.url, options.timeoutMs))
        req.destroy()
      }, options.timeoutMs)
    }
    if (options.signal) {
      if (options.signal.aborted) {
        onAbort()
        return
      }
      options.signal.addEventListener('abort', onAbort, { once: true })
    }

    req.on('error', (error: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !responded && (error.code === 'ECONNRESET' || error.code === 'EPIPE')
      fail(describeForwardError(error, request.url, options), stale)
    })
    req.on('response', (res: IncomingMessage) => {
      responded = true
      const chunks: Buffer[] = []
      let kept = 0
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (kept >= options.keepBytes) return
        const piece = chunk.length <= options.keepBytes - kept ? chunk : chunk.subarray(0, options.keepBytes - kept)
        chunks.push(piece)
        kept += piece.length
      })
      res.on('error', (error) => fail(describeForwardError(error, request.url, options)))
      res.on('close', () => {
        if (!res.complete) fail(attemptError('CONNECTION_RESET', `${hostPort(request.url)} closed the connection in the middle of its answer`))
      })
      res.on('end', () =>
        finish({
          ok: true,
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: pairs(res.rawHeaders),
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, kept),
          bodySize: size,
          truncated: size > kept,
          durationMs: elapsed()
        })
      )
    })
    req.end(request.body)
  })
}

function flatten(headers: readonly RawHeader[]): string[] {
  const flat: string[] = []
  for (const [name, value] of headers) flat.push(name, value)
  return flat
}

function pairs(raw: string[]): RawHeader[] {
  const headers: RawHeader[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!])
  return headers
}

function isIpLiteral(hostname: string): boolean {
  return /^[\d.]+$/.test(hostname) || hostname.includes(':') || hostname.startsWith('[')
}

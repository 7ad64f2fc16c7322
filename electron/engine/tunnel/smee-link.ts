import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { createParser } from 'eventsource-parser'
import { smeeEventToRequest } from './smee-event'
import { type LinkSession, type SessionEnd, TunnelLink, type TunnelLinkDeps } from './tunnel-link'

/** smee.io pings every 30 s; three missed pings mean the stream is dead even if the socket is not. */
const DEFAULT_IDLE_TIMEOUT_MS = 90_000
const CONNECT_TIMEOUT_MS = 10_000

/**
 * A tunnel from a smee channel (smee.io or any server speaking its protocol): one long GET with
 * `Accept: text/event-stream`; `ready` and `ping` events prove the stream alive, each `message`
 * event is a delivery. smee answers the sender itself (always 200) and keeps nothing for a client
 * that is away, so the endpoint's answer goes nowhere and deliveries sent while disconnected are
 * lost: the relay server exists for that.
 */
export class SmeeLink extends TunnelLink {
  constructor(
    url: string,
    deps: TunnelLinkDeps,
    private readonly idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS
  ) {
    super('smee', url, deps)
  }

  protected openSession(): LinkSession {
    const { logger, clock } = this.deps
    const url = new URL(this.health.url)
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    let connected = false
    let error: SessionEnd['error'] = null
    let idle: NodeJS.Timeout | undefined
    let resolveDone!: (end: SessionEnd) => void
    const done = new Promise<SessionEnd>((resolve) => (resolveDone = resolve))
    const fail = (code: NonNullable<SessionEnd['error']>['code'], message: string) => {
      error ??= { code, message }
      req.destroy()
    }
    const alive = () => {
      clearTimeout(idle)
      idle = setTimeout(() => fail('TUNNEL_HEARTBEAT', 'no event (not even a ping) from the smee channel for too long'), this.idleTimeoutMs)
    }
    const parser = createParser({
      onEvent: (event) => {
        this.touched()
        alive()
        if (event.event === 'ready') {
          connected = true
          this.connected(this.health.url, 0)
          logger.info('smee tunnel connected', { endpoint: this.deps.endpointId })
          return
        }
        if (event.event !== undefined && event.event !== 'message') return
        const request = smeeEventToRequest(event.data, {
          endpointId: this.deps.endpointId,
          channelUrl: this.health.url,
          now: clock.now(),
          maxBodyBytes: this.deps.maxBodyBytes()
        })
        if (!request) return logger.warn('smee event that is not a delivery; ignored', { endpoint: this.deps.endpointId })
        // smee already answered the sender; the endpoint's answer has nowhere to go.
        void this.deps.ingress.handle(request).then(() => this.delivered())
      }
    })

    const req: ClientRequest = send(url, { method: 'GET', headers: { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' }, timeout: CONNECT_TIMEOUT_MS })
    req.on('timeout', () => fail('TUNNEL_UNREACHABLE', 'no answer from the smee channel'))
    req.on('error', (cause: Error) => {
      error ??= { code: 'TUNNEL_UNREACHABLE', message: `cannot reach the smee channel: ${cause.message}` }
    })
    req.on('response', (res: IncomingMessage) => {
      const type = String(res.headers['content-type'] ?? '')
      if (res.statusCode !== 200 || !type.startsWith('text/event-stream')) {
        res.resume()
        const code = res.statusCode === 404 ? 'TUNNEL_NOT_FOUND' : res.statusCode === 401 || res.statusCode === 403 ? 'TUNNEL_UNAUTHORIZED' : 'TUNNEL_REFUSED'
        return fail(code, `the smee channel answered ${res.statusCode} ${type ? `(${type})` : ''}`.trim())
      }
      // The connect timeout guarded the head; from here liveness is the event stream's.
      req.setTimeout(0)
      alive()
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => parser.feed(chunk))
      res.on('error', () => undefined)
    })
    req.on('close', () => {
      clearTimeout(idle)
      if (!error && connected) error = { code: 'TUNNEL_CLOSED', message: 'the smee channel closed the stream' }
      resolveDone({ connected, error: error ?? { code: 'TUNNEL_UNREACHABLE', message: 'the stream ended before smee said ready' } })
    })
    req.end()
    return { done, close: () => req.destroy() }
  }
}

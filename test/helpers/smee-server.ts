import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { parse as parseQuery } from 'node:querystring'

export interface SmeeFixture {
  url: string
  /** SSE clients connected to `channel` now. */
  listeners(channel: string): number
  /** Ends every open event stream (as a smee restart would). */
  dropStreams(): void
  stop(): Promise<void>
}

/**
 * A smee-protocol server as a test fixture, written after smee.io's own server: `GET /<channel>`
 * with `Accept: text/event-stream` opens a stream that starts with `event: ready` and pings every
 * `pingMs`; `POST /<channel>` parses the body (JSON, form or text, as smee's body parser does),
 * broadcasts `{...headers, body, query, timestamp}` as a `message` event, and answers 200 at once.
 */
export async function startSmeeFixture(options: { pingMs?: number } = {}): Promise<SmeeFixture> {
  const streams = new Map<string, Set<ServerResponse>>()
  let counter = 0
  const write = (res: ServerResponse, data: string, event?: string) => res.write(`id: ${counter++}\n${event ? `event: ${event}\n` : ''}data: ${data}\n\n`)
  const pinger = setInterval(() => {
    for (const set of streams.values()) for (const res of set) write(res, '{}', 'ping')
  }, options.pingMs ?? 30_000)

  const server: Server = createServer((req, res) => void handle(req, res))
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture')
    const channel = url.pathname.slice(1)
    if (!/^[a-zA-Z0-9_-]{1,128}$/.test(channel)) return void res.writeHead(404).end()
    if (req.method === 'GET' && req.headers.accept === 'text/event-stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
      const set = streams.get(channel) ?? new Set()
      streams.set(channel, set)
      set.add(res)
      req.on('close', () => set.delete(res))
      write(res, '{}', 'ready')
      return
    }
    if (req.method !== 'POST') return void res.writeHead(405).end()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const type = req.headers['content-type'] ?? ''
    let body: unknown
    try {
      body = type.startsWith('application/json') ? JSON.parse(raw) : type.startsWith('application/x-www-form-urlencoded') ? { ...parseQuery(raw) } : raw
    } catch {
      return void res.writeHead(400).end()
    }
    const payload = { ...req.headers, body, query: Object.fromEntries(url.searchParams), timestamp: Date.now() }
    for (const stream of streams.get(channel) ?? []) write(stream, JSON.stringify(payload))
    res.writeHead(200).end()
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    listeners: (channel) => streams.get(channel)?.size ?? 0,
    dropStreams() {
      for (const set of streams.values()) for (const res of set) res.destroy()
    },
    stop() {
      clearInterval(pinger)
      for (const set of streams.values()) for (const res of set) res.destroy()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}

import { mkdirSync, writeFileSync } from 'node:fs'
import { type IncomingHttpHeaders, request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { type ApiServer, startApiServer } from '../../electron/engine/http/api-server'
import { silentLogger } from '../../electron/engine/logger'
import type { EngineEvent } from '../../shared/api/contract'
import { makeTempDir } from '../helpers/temp-dir'
import { startTestEngine, type TestEngine } from '../helpers/test-engine'

const TOKEN = 'test-token-0123456789abcdefABCDEF_-'
const SECRET = 'top-secret-outside-the-renderer-dir'
const INDEX_HTML = '<!doctype html><title>Hookscope</title><script type="module" src="/assets/app.js"></script>'

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

let temp: ReturnType<typeof makeTempDir>
let engine: TestEngine
let api: ApiServer
/** Every reply any test got from the API server: none may carry CORS headers. */
const replies: Reply[] = []

beforeAll(async () => {
  temp = makeTempDir('hookscope-api-')
  const rendererDir = join(temp.path, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), INDEX_HTML)
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("hookscope")')
  // Files a traversal would reach: next to the renderer folder and in the data folder.
  writeFileSync(join(temp.path, 'secret.txt'), SECRET)
  engine = await startTestEngine({ dataDir: join(temp.path, 'data') })
  api = await startApiServer({
    engine: engine.engine,
    token: TOKEN,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger
  })
})

afterAll(async () => {
  await api?.close()
  await engine?.stop()
  temp?.remove()
})

/** A raw HTTP/1.1 request where the test controls every header, Host included. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; port?: number } = {}): Promise<Reply> {
  const port = options.port ?? api.port
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
        agent: false,
        timeout: 10_000
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const reply = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }
          replies.push(reply)
          resolve(reply)
        })
        res.on('error', reject)
      }
    )
    req.on('timeout', () => req.destroy(new Error(`request to ${path} timed out`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Bytes exactly as given, for requests http.request would fix up (no Host, an empty Host). */
function rawRequest(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: api.port })
    const chunks: Buffer[] = []
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.on('error', reject)
    socket.end(text)
  })
}

function invoke(method: string, params: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(`/api/invoke/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(params)
  })
}

function wireError(reply: Reply): { code: string; message: string } {
  const parsed = JSON.parse(reply.body) as { ok: boolean; error: { code: string; message: string } }
  expect(parsed.ok).toBe(false)
  return parsed.error
}

describe('API authentication', () => {
  it('refuses a call without a token (401)', async () => {
    const reply = await send('/api/invoke/app.info', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })
    expect(reply.status).toBe(401)
    expect(wireError(reply).code).toBe('UNAUTHORIZED')
  })

  it.each([
    ['a wrong token', `Bearer wrong-${TOKEN}`],
    ['a token prefix', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token with a suffix', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['the bare token', TOKEN],
    ['an empty bearer', 'Bearer ']
  ])('refuses %s (401)', async (_label, authorization) => {
    const reply = await invoke('app.info', {}, { Authorization: authorization })
    expect(reply.status).toBe(401)
    expect(wireError(reply).code).toBe('UNAUTHORIZED')
  })

  it('refuses the token in the query string: only the header counts for invoke', async () => {
    const reply = await send(`/api/invoke/app.info?token=${TOKEN}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}'
    })
    expect(reply.status).toBe(401)
  })

  it('answers a valid call with {ok:true,value}', async () => {
    const reply = await invoke('app.info', {})
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(reply.headers['cache-control']).toBe('no-store')
    const runId = reply.headers['x-hookscope-run']
    expect(runId).toMatch(/^[0-9a-z]{26}$/)
    expect(JSON.parse(reply.body)).toEqual({
      ok: true,
      value: { name: 'Hookscope', version: 'test', dataDir: join(temp.path, 'data'), host: 'headless', runId }
    })
  })

  it('accepts an empty body as empty params, and a charset on the content type', async () => {
    const reply = await send('/api/invoke/endpoints.list', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' }
    })
    expect(reply.status).toBe(200)
    const parsed = JSON.parse(reply.body) as { ok: true; value: { id: string }[] }
    expect(parsed.value.map((endpoint) => endpoint.id)).toEqual(['test'])
  })
})

describe('Host and Origin checks (DNS rebinding, cross-site pages)', () => {
  it.each([
    ['a foreign name on our port', () => `evil.example:${api.port}`],
    ['a rebinding-style name that contains localhost', () => `localhost.evil.example:${api.port}`],
    ['our address on another port', () => `127.0.0.1:${api.port + 1}`],
    ['no port', () => '127.0.0.1'],
    ['a bare IPv6 address', () => `::1:${api.port}`]
  ])('refuses %s (403), for the API and for static files', async (_label, host) => {
    const call = await invoke('app.info', {}, { Host: host() })
    expect(call.status).toBe(403)
    expect(wireError(call).code).toBe('FORBIDDEN')
    const page = await send('/', { headers: { Host: host() } })
    expect(page.status).toBe(403)
    expect(page.body).not.toContain('<title>Hookscope')
  })

  it('refuses a request without a Host or with an empty one (403)', async () => {
    for (const head of ['GET / HTTP/1.0\r\n', 'GET / HTTP/1.1\r\nHost: \r\n', 'GET / HTTP/1.0\r\nHost:\r\n']) {
      const reply = await rawRequest(`${head}Connection: close\r\n\r\n`)
      expect(reply, JSON.stringify(head)).toMatch(/^HTTP\/1\.[01] (400|403) /)
      expect(reply).not.toContain('<title>Hookscope')
    }
  })

  it('accepts localhost and IP literals on our port', async () => {
    expect((await invoke('app.info', {}, { Host: `localhost:${api.port}` })).status).toBe(200)
    expect((await send('/', { headers: { Host: `LOCALHOST:${api.port}` } })).status).toBe(200)
  })

  it.each([
    ['a foreign origin', 'http://evil.example'],
    ['Origin: null (sandboxed frames, file: pages)', 'null'],
    ['our host over https', () => `https://127.0.0.1:${api.port}`],
    ['localhost when the Host says 127.0.0.1', () => `http://localhost:${api.port}`],
    ['our origin on another port', () => `http://127.0.0.1:${api.port + 1}`],
    ['our origin with a trailing slash', () => `http://127.0.0.1:${api.port}/`]
  ])('refuses %s (403)', async (_label, origin) => {
    const value = typeof origin === 'function' ? origin() : origin
    const reply = await invoke('app.info', {}, { Origin: value })
    expect(reply.status).toBe(403)
    expect(wireError(reply).code).toBe('FORBIDDEN')
  })

  it('accepts our own origin (200)', async () => {
    const reply = await invoke('app.info', {}, { Origin: `http://127.0.0.1:${api.port}` })
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body)).toMatchObject({ ok: true })
  })
})

describe('API input validation', () => {
  it('rejects invalid JSON (400)', async () => {
    const reply = await send('/api/invoke/app.info', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"limit": '
    })
    expect(reply.status).toBe(400)
    expect(wireError(reply)).toEqual({ code: 'BAD_INPUT', message: 'the request body is not valid JSON' })
  })

  it('rejects params outside the schema, naming the field (400)', async () => {
    const zero = await invoke('deliveries.list', { limit: 0 })
    expect(zero.status).toBe(400)
    const zeroError = wireError(zero)
    expect(zeroError.code).toBe('BAD_INPUT')
    expect(zeroError.message).toMatch(/^deliveries\.list: limit: /)

    const wrongType = await invoke('deliveries.list', { limit: 'ten' })
    expect(wrongType.status).toBe(400)
    expect(wireError(wrongType).message).toContain('limit')

    const unknownKey = await invoke('deliveries.list', { limit: 5, bogusField: true })
    expect(unknownKey.status).toBe(400)
    expect(wireError(unknownKey).message).toContain('bogusField')

    const nested = await invoke('endpoints.update', { id: 'test', patch: { port: 70_000 } })
    expect(nested.status).toBe(400)
    expect(wireError(nested).message).toContain('patch.port')
  })

  it('rejects params that are not an object (400)', async () => {
    for (const body of ['[]', '"text"', '42', 'true']) {
      const reply = await send('/api/invoke/app.info', {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body
      })
      expect(reply.status, body).toBe(400)
      expect(wireError(reply).code).toBe('BAD_INPUT')
    }
  })

  it('answers an unknown method with 404 UNKNOWN_METHOD', async () => {
    for (const method of ['nope.nothing', 'constructor', '__proto__', 'toString', 'app.info.extra', '%E0%A4%A']) {
      const reply = await invoke(method, {})
      expect(reply.status, method).toBe(404)
      expect(wireError(reply).code, method).toBe('UNKNOWN_METHOD')
    }
  })

  it('rejects a wrong content type (415)', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      const reply = await invoke('app.info', {}, { 'Content-Type': contentType })
      expect(reply.status, contentType).toBe(415)
    }
    const missing = await send('/api/invoke/app.info', { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{}' })
    expect(missing.status).toBe(415)
  })

  it('answers GET and other verbs on invoke with 405', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await send('/api/invoke/app.info', { method, headers: { Authorization: `Bearer ${TOKEN}` } })
      expect(reply.status, method).toBe(405)
    }
  })

  it('answers an oversized body with 413 and closes the connection, rather than reading it all', async () => {
    const big = JSON.stringify({ q: 'x'.repeat(3 * 1024 * 1024) })
    const reply = await send('/api/invoke/deliveries.list', {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: big
    })
    expect(reply.status).toBe(413)
    expect(reply.headers.connection).toBe('close')
    expect(wireError(reply).message).toMatch(/exceeds/)
  })

  it('stops reading a chunked body past the limit', async () => {
    const outcome = await new Promise<number | string>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: api.port,
          path: '/api/invoke/deliveries.list',
          method: 'POST',
          agent: false,
          headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }
        },
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        }
      )
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      const chunk = 'x'.repeat(256 * 1024)
      for (let i = 0; i < 12; i++) req.write(chunk)
      req.end()
    })
    // 413, or the connection cut while we were still sending: never a parsed call.
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(outcome)
  })

  it('maps engine errors to statuses: NOT_FOUND → 404', async () => {
    const reply = await invoke('deliveries.get', { id: 'does-not-exist' })
    expect(reply.status).toBe(404)
    expect(wireError(reply).code).toBe('NOT_FOUND')
  })
})

describe('event stream (WebSocket)', () => {
  const sockets: WebSocket[] = []
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.terminate()
  })

  /** Resolves with the HTTP status that refused the upgrade, or 101 if it opened. */
  function upgradeStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${api.port}${path}`, { headers, handshakeTimeout: 10_000 })
      sockets.push(socket)
      socket.once('open', () => resolve(101))
      socket.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0)
        res.resume()
      })
      socket.once('error', (error) => reject(error))
    })
  }

  it('refuses a connection without a token or with a wrong one (401)', async () => {
    expect(await upgradeStatus('/api/events')).toBe(401)
    expect(await upgradeStatus('/api/events?token=')).toBe(401)
    expect(await upgradeStatus(`/api/events?token=${TOKEN}x`)).toBe(401)
    expect(await upgradeStatus('/api/events', { Authorization: `Bearer wrong` })).toBe(401)
  })

  it('refuses a foreign Origin or Host even with the right token (403)', async () => {
    expect(await upgradeStatus(`/api/events?token=${TOKEN}`, { Origin: 'http://evil.example' })).toBe(403)
    expect(await upgradeStatus(`/api/events?token=${TOKEN}`, { Origin: 'null' })).toBe(403)
    expect(await upgradeStatus(`/api/events?token=${TOKEN}`, { Host: `evil.example:${api.port}` })).toBe(403)
  })

  it('refuses other paths (404)', async () => {
    expect(await upgradeStatus(`/api/other?token=${TOKEN}`)).toBe(404)
  })

  it('streams delivery.added after a POST to the capture URL', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${api.port}/api/events?token=${encodeURIComponent(TOKEN)}`, {
      headers: { Origin: `http://127.0.0.1:${api.port}` },
      handshakeTimeout: 10_000
    })
    sockets.push(socket)
    const events: EngineEvent[] = []
    socket.on('message', (data) => events.push(JSON.parse(String(data)) as EngineEvent))
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })

    const capture = await fetch(`${engine.url}hooks/stream-test?n=1`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"hello":"stream"}',
      signal: AbortSignal.timeout(10_000)
    })
    expect(capture.status).toBe(200)
    const { id } = (await capture.json()) as { id: string }

    const added = await new Promise<EngineEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no delivery.added within 10 s; got ${JSON.stringify(events)}`)), 10_000)
      const check = () => {
        const found = events.find((event) => event.type === 'delivery.added' && event.delivery.id === id)
        if (found) {
          clearTimeout(timer)
          socket.off('message', check)
          resolve(found)
        }
      }
      socket.on('message', check)
      check()
    })
    expect(added).toMatchObject({
      type: 'delivery.added',
      delivery: { id, method: 'POST', url: '/hooks/stream-test?n=1', bodySize: 18, responseStatus: 200, endpointId: 'test' }
    })
    // No body or headers on the live stream: summaries only.
    expect(Object.keys((added as { delivery: object }).delivery)).not.toContain('body')

    // ...and the same delivery is readable through the API.
    const got = await invoke('deliveries.get', { id })
    expect(got.status).toBe(200)
    const delivery = (JSON.parse(got.body) as { value: { bodyBase64: string } }).value
    expect(Buffer.from(delivery.bodyBase64, 'base64').toString()).toBe('{"hello":"stream"}')
  })
})

describe('static files', () => {
  it('serves index.html at / with a CSP and nosniff', async () => {
    const reply = await send('/')
    expect(reply.status).toBe(200)
    expect(reply.body).toBe(INDEX_HTML)
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['content-security-policy']).toMatch(/default-src 'self'/)
    expect(reply.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
    expect(reply.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/)
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    expect(reply.headers['x-frame-options']).toBe('DENY')
    expect(reply.headers['cache-control']).toBe('no-store')
  })

  it('serves assets with their content type, and HEAD without a body', async () => {
    const js = await send('/assets/app.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['x-content-type-options']).toBe('nosniff')
    expect(js.body).toBe('console.log("hookscope")')
    const head = await send('/assets/app.js', { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.body).toBe('')
  })

  it('answers a missing file with 404 and POST to a page with 405', async () => {
    expect((await send('/nope.js')).status).toBe(404)
    expect((await send('/assets/')).status).toBe(404)
    expect((await send('/', { method: 'POST', body: 'x' })).status).toBe(405)
  })

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%5c..%5c..%5cetc%5cpasswd',
    '/%252e%252e/secret.txt',
    '/secret.txt%00.html',
    '/%c0%ae%c0%ae/secret.txt',
    '/../package.json',
    '/../data/hookscope.db'
  ])('does not serve %s (404)', async (path) => {
    const reply = await send(path)
    expect(reply.status).toBe(404)
    expect(reply.body).not.toContain(SECRET)
    expect(reply.body).not.toContain('root:')
    expect(reply.body).not.toContain('SQLite')
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
  })
})

describe('CORS', () => {
  it('never sends Access-Control-Allow-Origin, even to a preflight', async () => {
    const preflight = await send('/api/invoke/app.info', {
      method: 'OPTIONS',
      headers: {
        Origin: `http://127.0.0.1:${api.port}`,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type'
      }
    })
    expect(preflight.status).not.toBe(200)
    expect(replies.length).toBeGreaterThan(20)
    for (const reply of replies) {
      expect(Object.keys(reply.headers).filter((name) => name.startsWith('access-control-'))).toEqual([])
    }
  })
})

// npm run bench:tunnel [-- --requests 2000 --connections 16]
//
// The same load of 1 KiB JSON POSTs, in the same run, three ways into one `hookscope listen`:
//   direct  sender -> capture port
//   tunnel  sender -> hookscope relay-server -> tunnel client (listen --tunnel) -> capture; answer back
//   smee    sender -> smee-protocol SSE server -> the real smee-client -> capture port
// Prints req/s and p50/p99 latency per path, and the tunnel's added latency over direct.
// For smee the sender is answered by the SSE server at once; its latency is post -> captured
// (read from listen's per-delivery lines), its rate deliveries captured per second.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import SmeeClient from 'smee-client'

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '2000' }, connections: { type: 'string', default: '16' } }
})
const REQUESTS = Number(values.requests)
const CONNECTIONS = Number(values.connections)
const ROOT = resolve(import.meta.dirname, '..')
const BODY = Buffer.from(JSON.stringify({ event: 'bench', pad: 'x'.repeat(1024 - 28) }))

function spawnCli(args) {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'hookscope.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines = []
  const waiters = []
  let partial = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop()
    for (const line of parts) {
      lines.push({ line, at: performance.now() })
      for (const waiter of [...waiters]) waiter(line)
    }
  })
  child.stderr.resume()
  const waitFor = (pattern, ms = 60_000) =>
    new Promise((resolveLine, reject) => {
      const found = lines.find(({ line }) => pattern.test(line))
      if (found) return resolveLine(found.line)
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${ms} ms`)), ms)
      const waiter = (line) => {
        if (!pattern.test(line)) return
        clearTimeout(timer)
        waiters.splice(waiters.indexOf(waiter), 1)
        resolveLine(line)
      }
      waiters.push(waiter)
    })
  // Even if the bench dies on an exception, the servers it started die with it.
  process.once('exit', () => child.kill('SIGKILL'))
  const stop = () =>
    new Promise((done) => {
      if (child.exitCode !== null) return done()
      child.once('exit', done)
      child.kill('SIGTERM')
    })
  return { child, lines, waitFor, stop }
}

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS })
function post(url, body = BODY) {
  return new Promise((resolvePost, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => resolvePost({ status: res.statusCode, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Sends REQUESTS posts with CONNECTIONS in flight; returns per-request latencies (ms) and the wall time. */
async function load(urlFor) {
  const latencies = []
  const sentAt = new Map()
  let next = 0
  let failures = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < REQUESTS) {
        const n = next++
        const t0 = performance.now()
        sentAt.set(n, t0)
        const reply = await post(urlFor(n))
        if (reply.status >= 300) failures++
        latencies.push(performance.now() - t0)
      }
    })
  )
  return { latencies, sentAt, wallMs: performance.now() - started, failures }
}

function stats(latencies, wallMs, count = latencies.length) {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return { rps: (count / wallMs) * 1000, p50: at(0.5), p99: at(0.99) }
}

/** A smee-protocol server (as smee.io's): SSE at GET /<channel>, POST /<channel> broadcast as JSON. */
function smeeServer() {
  const streams = new Set()
  let id = 0
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.headers.accept === 'text/event-stream') {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
      streams.add(res)
      req.on('close', () => streams.delete(res))
      res.write(`id: ${id++}\nevent: ready\ndata: {}\n\n`)
      return
    }
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url, 'http://x')
      const payload = { ...req.headers, body: JSON.parse(Buffer.concat(chunks).toString()), query: Object.fromEntries(url.searchParams), timestamp: Date.now() }
      for (const stream of streams) stream.write(`id: ${id++}\ndata: ${JSON.stringify(payload)}\n\n`)
      res.writeHead(200).end()
    })
  })
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({
        server,
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => {
          for (const s of streams) s.destroy()
          server.closeAllConnections()
          server.close()
        }
      })
    )
  )
}

const dataDir = mkdtempSync(join(tmpdir(), 'hookscope-bench-tunnel-'))
const relay = spawnCli(['relay-server', '--open', '--port', '0', '--rate-limit', '0', '--queue-max', '100000'])
let listen
const smee = await smeeServer()
let smeeClient
try {
  const relayUrl = (await relay.waitFor(/^Relay server on /)).slice('Relay server on '.length)
  const channel = JSON.parse((await post(`${relayUrl}/channels`, Buffer.from('{}'))).body.toString())
  listen = spawnCli(['listen', '--port', '0', '--no-ui', '--data', dataDir, '--tunnel', channel.url, '--tunnel-token', channel.clientToken])
  const captureUrl = (await listen.waitFor(/^Capture URL: /)).slice('Capture URL: '.length)
  await listen.waitFor(/^Tunnel connected: /)
  smeeClient = new SmeeClient({ source: `${smee.url}/bench`, target: `${captureUrl}smee`, logger: { info() {}, error() {} } })
  await smeeClient.start()

  // Warm-up, so no path pays for first connections and JIT.
  for (let i = 0; i < 50; i++) {
    await post(`${captureUrl}warm`)
    await post(`${channel.url}/warm`)
  }

  const direct = await load((n) => `${captureUrl}direct/${n}`)
  const tunnel = await load((n) => `${channel.url}/tunnel/${n}`)
  const smeeRun = await load((n) => `${smee.url}/bench?n=${n}`)
  // smee: latency is post -> captured, from listen's lines (`POST /smee?n=123 ...`).
  const captured = new Map()
  const deadline = performance.now() + 120_000
  while (captured.size < REQUESTS && performance.now() < deadline) {
    for (const { line, at } of listen.lines) {
      const match = / POST \/smee\?n=(\d+) /.exec(line)
      if (match && !captured.has(Number(match[1]))) captured.set(Number(match[1]), at)
    }
    if (captured.size < REQUESTS) await new Promise((r) => setTimeout(r, 100))
  }
  const smeeLatencies = [...captured].map(([n, at]) => at - smeeRun.sentAt.get(n))
  const smeeWall = Math.max(...captured.values()) - Math.min(...smeeRun.sentAt.values())

  const rows = {
    direct: stats(direct.latencies, direct.wallMs),
    tunnel: stats(tunnel.latencies, tunnel.wallMs),
    'smee-client': stats(smeeLatencies, smeeWall, captured.size)
  }
  console.log(
    `${REQUESTS} requests of 1 KiB, ${CONNECTIONS} in flight; failures: direct ${direct.failures}, tunnel ${tunnel.failures}; smee captured ${captured.size}/${REQUESTS}`
  )
  for (const [name, row] of Object.entries(rows)) {
    console.log(
      `${name.padEnd(12)} ${row.rps.toFixed(0).padStart(7)} req/s   p50 ${row.p50.toFixed(2).padStart(7)} ms   p99 ${row.p99.toFixed(2).padStart(7)} ms`
    )
  }
  console.log(
    `tunnel added latency: p50 +${(rows.tunnel.p50 - rows.direct.p50).toFixed(2)} ms, p99 +${(rows.tunnel.p99 - rows.direct.p99).toFixed(2)} ms (target p50 <= +2 ms)`
  )
  console.log(`tunnel / smee-client throughput: ${(rows.tunnel.rps / rows['smee-client'].rps).toFixed(2)}x (target >= 2x)`)
} finally {
  await smeeClient?.stop()
  smee.close()
  await listen?.stop()
  await relay.stop()
  agent.destroy()
  rmSync(dataDir, { recursive: true, force: true })
}

#!/usr/bin/env node
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// Relay overhead: `hookscope listen --forward-to TARGET` (passthrough) against the same loopback
// target reached (a) directly and (b) through an `http-proxy` reverse proxy; same load, same run.
//
//   npm run bench:relay -- [--duration 10] [--connections 32] [--warmup 2] [--rounds 1] [--latency-requests 2000]
//
// Child processes besides the target (bench/bare-server.mjs, node:http answering 200): the
// http-proxy server (bench/http-proxy-server.mjs) and `hookscope listen`, which captures every
// delivery (stored, as always) and relays it, the sender waiting for the target's answer; and, for
// reference, a second `hookscope listen` without forwarding (what capture alone costs).
//
// Two measurements per round, each side in turn (direct, http-proxy, hookscope), so a noisy
// neighbour hits all three alike:
//   - throughput: autocannon, `--connections` concurrent connections for `--duration` seconds,
//     the same 1 KiB POST; req/s and autocannon's p50/p99;
//   - added latency: `--latency-requests` requests one after another on one keep-alive connection
//     (no queueing), timed in this process to the microsecond; p50/p99 and what each adds over direct.
// Every answer must be the target's own (status 200, its body): a relay that answered by itself
// would not count. Exit 0 when the runs complete (the targets are reported, not enforced).
import autocannon from 'autocannon'
import { benchOptions, RUN_FLAGS, requireBuild } from './bench-options.mjs'
import { children, startServer, startWatchdog } from './child-servers.mjs'
import { fmt, loadLine, median } from './report.mjs'
import { sequentialLatency } from './sequential-latency.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = join(ROOT, 'bin', 'hookscope.js')
const BARE = join(ROOT, 'bench', 'bare-server.mjs')
const PROXY = join(ROOT, 'bench', 'http-proxy-server.mjs')
const TARGET_BODY = '{"id":"x"}'
const TARGET_ADDED_P50_MS = 1
const TARGET_THROUGHPUT_RATIO = 1.0

const {
  duration,
  connections,
  warmup,
  rounds,
  'latency-requests': latencyRequests
} = benchOptions('relay', {
  ints: { ...RUN_FLAGS, connections: [32, 1, 10_000], 'latency-requests': [2000, 10, 1_000_000] }
})
requireBuild('relay', ROOT)

const BODY = Buffer.from(JSON.stringify({ event: 'bench', pad: 'x'.repeat(1024) }).slice(0, 1023) + '}')
// Throughput runs (3 sides) + latency runs (bounded by a per-request timeout) + start/stop.
startWatchdog('relay', (4 * (rounds * duration + warmup) + 600) * 1000 + rounds * 4 * latencyRequests * 50)

/** autocannon at `connections`; counts answers that are not the target's own (unless `ownAnswer`). */
async function throughput(url, seconds, ownAnswer = false) {
  let foreign = 0
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/bench/hook',
        headers: { 'content-type': 'application/json', 'x-bench': '1' },
        body: BODY,
        onResponse: (status, body) => {
          if (status !== 200 || (!ownAnswer && body !== TARGET_BODY)) foreign += 1
        }
      }
    ]
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    foreign
  }
}

/** Sequential latency of one side: every answer must be the target's own (unless `ownAnswer`). */
function sideLatency(url, count, ownAnswer = false) {
  return sequentialLatency(new URL('/bench/hook', url), count, {
    body: BODY,
    headers: { 'content-type': 'application/json', 'x-bench': '1' },
    accept: (status, text) => status === 200 && (ownAnswer || text === TARGET_BODY)
  })
}

async function main() {
  console.log(
    `Hookscope relay bench: node ${process.version}, ${cpus().length} CPUs; throughput: ${connections} connections, ${warmup} s warm-up, ` +
      `${rounds} × ${duration} s per side; latency: ${fmt(latencyRequests)} sequential requests per side; ${BODY.length} B POST body`
  )
  console.log(loadLine('start'))
  const workDir = mkdtempSync(join(tmpdir(), 'hookscope-bench-relay-'))
  try {
    await runAll(workDir)
  } finally {
    for (const child of children) child.kill('SIGKILL')
    rmSync(workDir, { recursive: true, force: true })
  }
}

async function runAll(workDir) {
  const target = startServer(ROOT, 'target', [BARE], /^Listening: (http:\/\/\S+)$/, workDir)
  const targetUrl = await target.ready
  const proxy = startServer(ROOT, 'http-proxy', [PROXY, targetUrl], /^Listening: (http:\/\/\S+)$/, workDir)
  const hookscope = startServer(
    ROOT,
    'hookscope listen',
    [CLI, 'listen', '--port', '0', '--no-ui', '--data', join(workDir, 'data'), '--forward-to', targetUrl, '--forward-mode', 'passthrough'],
    /^Capture URL: (http:\/\/\S+)$/,
    workDir
  )
  // For reference: the same listen without forwarding (capture and store only; it answers by itself).
  const captureOnly = startServer(
    ROOT,
    'hookscope capture only',
    [CLI, 'listen', '--port', '0', '--no-ui', '--data', join(workDir, 'data-capture')],
    /^Capture URL: (http:\/\/\S+)$/,
    workDir
  )
  const sides = [
    { name: 'direct', url: targetUrl },
    { name: 'http-proxy', url: await proxy.ready },
    { name: 'hookscope relay', url: await hookscope.ready },
    { name: 'hookscope capture', url: await captureOnly.ready, ownAnswer: true }
  ]

  if (warmup > 0) for (const side of sides) await throughput(side.url, warmup, side.ownAnswer)
  const rows = []
  for (let round = 1; round <= rounds; round++) {
    const row = { round, sides: {} }
    for (const side of sides) row.sides[side.name] = { ...(await throughput(side.url, duration, side.ownAnswer)) }
    for (const side of sides) row.sides[side.name].latency = await sideLatency(side.url, latencyRequests, side.ownAnswer)
    rows.push(row)
  }
  for (const server of [captureOnly, hookscope, proxy, target]) {
    const exit = await server.stop()
    if (exit.code !== 0) console.warn(`a server exited with ${exit.signal ?? exit.code}: ${server.stderr()}`)
  }

  console.log('')
  console.log("round  side               req/s (mean)   p50 ms   p99 ms   2xx   non-2xx   errors   not the target's answer   seq p50 ms   seq p99 ms")
  for (const { round, sides: results } of rows) {
    for (const [name, s] of Object.entries(results)) {
      console.log(
        `${String(round).padStart(5)}  ${name.padEnd(17)}  ${fmt(s.rps, 1).padStart(12)}   ${fmt(s.p50, 1).padStart(6)}   ${fmt(s.p99, 1).padStart(6)}   ` +
          `${fmt(s.ok).padStart(7)}   ${String(s.non2xx).padStart(7)}   ${String(s.errors).padStart(6)}   ${String(s.foreign + s.latency.foreign).padStart(22)}   ` +
          `${fmt(s.latency.p50, 3).padStart(10)}   ${fmt(s.latency.p99, 3).padStart(10)}`
      )
    }
  }
  const pick = (name, f) => median(rows.map((row) => f(row.sides[name])))
  const direct = { rps: pick('direct', (s) => s.rps), p50: pick('direct', (s) => s.latency.p50), p99: pick('direct', (s) => s.latency.p99) }
  const summary = (name) => ({
    rps: pick(name, (s) => s.rps),
    addedP50: pick(name, (s) => s.latency.p50 - direct.p50),
    addedP99: pick(name, (s) => s.latency.p99 - direct.p99)
  })
  const proxied = summary('http-proxy')
  const relayed = summary('hookscope relay')
  const of = rounds > 1 ? `, median of ${rounds} rounds` : ''
  console.log('')
  console.log(`added latency over direct (sequential requests${of}):`)
  console.log(`  http-proxy:       p50 +${proxied.addedP50.toFixed(3)} ms, p99 +${proxied.addedP99.toFixed(3)} ms`)
  console.log(
    `  hookscope relay:  p50 +${relayed.addedP50.toFixed(3)} ms, p99 +${relayed.addedP99.toFixed(3)} ms ` +
      `(target: p50 ≤ ${TARGET_ADDED_P50_MS} ms: ${relayed.addedP50 <= TARGET_ADDED_P50_MS ? 'met' : 'NOT met'})`
  )
  console.log(`throughput (req/s${of}): direct ${fmt(direct.rps)}, http-proxy ${fmt(proxied.rps)}, hookscope relay ${fmt(relayed.rps)}`)
  const ratio = relayed.rps / proxied.rps
  console.log(
    `  ratio hookscope/http-proxy: ${ratio.toFixed(3)} (target ≥ ${TARGET_THROUGHPUT_RATIO.toFixed(1)}: ${ratio >= TARGET_THROUGHPUT_RATIO ? 'met' : 'NOT met'})`
  )
  console.log(`  ratio hookscope/direct:     ${(relayed.rps / direct.rps).toFixed(3)};  http-proxy/direct: ${(proxied.rps / direct.rps).toFixed(3)}`)
  const captured = summary('hookscope capture')
  console.log(
    `  for reference, hookscope capture without forwarding: ${fmt(captured.rps)} req/s, sequential p50 +${captured.addedP50.toFixed(3)} ms over direct; ` +
      `relay/capture: ${(relayed.rps / captured.rps).toFixed(3)}`
  )
  console.log(loadLine('end'))
  const foreign = rows.flatMap((row) => Object.values(row.sides)).reduce((sum, s) => sum + s.foreign + s.latency.foreign, 0)
  if (foreign > 0) {
    console.error(`bench/relay.mjs: ${foreign} answers were not the target's own (a relay answering by itself, or an error)`)
    process.exitCode = 1
  }
}

main().catch((error) => {
  console.error(`bench/relay.mjs: ${error.stack ?? error}`)
  for (const child of children) child.kill('SIGKILL')
  process.exit(1)
})

#!/usr/bin/env node
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { cpus, tmpdir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
// Capture throughput: `hookscope listen` at both durability levels against a bare node:http
// server, same load, same run; then a mixed run where one sender posts 10 MiB binary bodies.
//
//   npm run bench:capture -- [--duration 10] [--connections 64] [--warmup 2] [--rounds 1] [--https] [--no-mixed]
//
// --https compares `hookscope listen --https` with a bare node:https server that uses the SAME
// certificate and key: the CA comes from `hookscope ca export`, the server certificate and its key
// from the engine's local CA in this process (bench/server-cert.ts, bundled on the fly), and both
// servers are checked to present that certificate (verified against the CA) before any load.
//
// Three servers, each in its own child process on 127.0.0.1, up for the whole run: bare,
// `hookscope listen --durability crash` and `--durability fsync` (two data folders). autocannon
// (in this process) sends the same 1 KiB POST: a warm-up each, then measured runs, bare, crash,
// fsync, `--rounds` times (on a busy machine, use several rounds: the ratios reported are medians).
// The mixed run (crash level) measures the p99 of the 1 KiB senders alone, then again while one
// more sender posts 10 MiB of random bytes back to back. Then every Hookscope data folder is
// checked for durability: `hookscope export` must hold every delivery that got a 2xx (except
// what retention evicted, which is reported).
// Exit 0 when durability holds (the ratios are reported, not enforced: they depend on the machine).
import autocannon from 'autocannon'
import { benchOptions, RUN_FLAGS, requireBuild } from './bench-options.mjs'
import { children, startServer, startWatchdog } from './child-servers.mjs'
import { cpuMeter } from './cpu-usage.mjs'
import { fmt, loadLine, median } from './report.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = join(ROOT, 'bin', 'hookscope.js')
const BARE = join(ROOT, 'bench', 'bare-server.mjs')
const SERVER_CERT_TS = join(ROOT, 'bench', 'server-cert.ts')
/** Inside the repository, so the bundle's bare imports (better-sqlite3...) resolve from node_modules. */
const SERVER_CERT_BUNDLE = join(ROOT, 'out', 'bench', 'server-cert.mjs')
/** Targets (issue 7): req/s against bare node:http per level, and p99 added by a 10 MiB sender. */
const TARGETS = { crash: 0.5, fsync: 0.35 }
const TARGET_ADDED_P99_MS = 50
const BIG_BODY_BYTES = 10 * 1024 * 1024
const LEVELS = ['crash', 'fsync']

const options = benchOptions('capture', {
  ints: { ...RUN_FLAGS, connections: [64, 1, 10_000] },
  booleans: ['https', 'no-mixed', 'keep-data']
})
const { duration, connections, warmup, rounds, https } = options
const mixed = !options['no-mixed']
/** For the Hookscope child only (and this process's certificate step): a fresh one per run. */
const PASSPHRASE = randomBytes(18).toString('base64url')
/** The CA (PEM) autocannon and the certificate check trust, in --https runs. */
let benchCa = null

requireBuild('capture', ROOT)

// 1 KiB of printable JSON-ish bytes, the same for both servers.
const BODY = Buffer.from(JSON.stringify({ event: 'bench', pad: 'x'.repeat(1024) }).slice(0, 1023) + '}')
if (BODY.length !== 1024) throw new Error(`body is ${BODY.length} bytes`)

const watchdog = startWatchdog('capture', (2 * (rounds * 3 * duration + 3 * warmup + (mixed ? 2 * duration : 0)) + 600) * 1000)

function load(url, seconds, onBody, connectionCount = connections) {
  return autocannon({
    url,
    connections: connectionCount,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    // autocannon connects with rejectUnauthorized: false whatever it is given, so the CA here is a
    // formality; checkSameCertificate() does the real verification before any load.
    ...(benchCa ? { tlsOptions: { ca: benchCa } } : {}),
    requests: [
      {
        method: 'POST',
        path: '/bench/hook',
        headers: { 'content-type': 'application/json', 'x-bench': '1' },
        body: BODY,
        onResponse: (status, body) => {
          if (status >= 200 && status < 300) onBody(body)
        }
      }
    ]
  })
}

function cpuColumns(cpu) {
  if (!cpu || cpu.perRequestUs.server === null) return ''
  const us = (value) => (value === null ? '-' : fmt(value, 1))
  return `${us(cpu.perRequestUs.server).padStart(18)}  ${us(cpu.perRequestUs.generator).padStart(8)}   ${cpu.machineBusy === null ? '-' : `${fmt(cpu.machineBusy * 100, 0)} %`}`.padStart(
    12
  )
}

function summary(run) {
  return {
    rps: run.requests.average,
    p50: run.latency.p50,
    p99: run.latency.p99,
    total2xx: run['2xx'],
    non2xx: run.non2xx,
    errors: run.errors,
    timeouts: run.timeouts
  }
}

/** Streams `hookscope export --format ndjson` and collects the ids (no need to hold 100s of MB). */
function exportedIds(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'export', '--data', dataDir, '--format', 'ndjson'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.add(child)
    const ids = new Set()
    let oldest = null
    let bad = 0
    let stderr = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk) => (stderr += chunk))
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^\{"id":"([0-9a-z]+)"/.exec(line)
      if (match) {
        ids.add(match[1])
        oldest ??= match[1]
      } else bad += 1
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      if (code !== 0) reject(new Error(`export exited ${signal ?? code}: ${stderr}`))
      else resolve({ ids, oldest, bad })
    })
  })
}

/** Runs `node bin/hookscope.js ...args` to completion (bounded), failing with its stderr. */
function runCli(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env })
    children.add(child)
    let output = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      children.delete(child)
      if (code === 0) resolve(output)
      else reject(new Error(`hookscope ${args.join(' ')} exited ${signal ?? code}:\n${output}`))
    })
  })
}

/**
 * --https: the CA via `hookscope ca export` (which also sets up the keyring and the CA), then the
 * server certificate and key through the engine's local CA, written for the bare server.
 */
async function prepareCertificates(workDir, dataDir) {
  const caPath = join(workDir, 'hookscope-ca.pem')
  await runCli(['ca', 'export', '--format', 'pem', '--out', caPath, '--data', dataDir], { ...process.env, HOOKSCOPE_PASSPHRASE: PASSPHRASE })
  const { build } = await import('rolldown')
  mkdirSync(dirname(SERVER_CERT_BUNDLE), { recursive: true })
  await build({
    input: SERVER_CERT_TS,
    platform: 'node',
    // Only the repository's own TypeScript is bundled; packages load from node_modules.
    external: (id) => !id.startsWith('.') && !isAbsolute(id),
    output: { file: SERVER_CERT_BUNDLE, format: 'esm' },
    write: true,
    logLevel: 'warn'
  })
  const { serverCertificate } = await import(SERVER_CERT_BUNDLE)
  const server = serverCertificate(dataDir, PASSPHRASE)
  const caPem = readFileSync(caPath, 'utf8')
  if (server.caPem.trim() !== caPem.trim()) throw new Error('the exported CA is not the one that signed the server certificate')
  const certPath = join(workDir, 'server.crt.pem')
  const keyPath = join(workDir, 'server.key.pem')
  writeFileSync(certPath, server.certPem)
  writeFileSync(keyPath, server.keyPem, { mode: 0o600 })
  return { caPem, certPath, keyPath, fingerprint256: server.fingerprint256 }
}

/** One verified request (the CA trusted, the host name checked): the leaf's SHA-256 and the answer. */
function presentedFingerprint(url, ca) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', ca, agent: false, timeout: 10_000 }, (res) => {
      const fingerprint = res.socket.getPeerCertificate().fingerprint256
      let body = ''
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk))
      res.on('end', () => (res.statusCode === 200 ? resolve({ fingerprint, body }) : reject(new Error(`${url} answered ${res.statusCode}`))))
    })
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 10 s`)))
    req.on('error', reject)
    req.end('{}')
  })
}

/**
 * One sender posting BIG_BODY_BYTES of random bytes, back to back, until `stop()`; each 2xx body's
 * delivery id goes to `onBody`. Resolves with how many it sent and how many got a 2xx.
 */
function bigSender(url, onBody) {
  const body = randomBytes(BIG_BODY_BYTES)
  const agent = new (url.startsWith('https') ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: 1 })
  let stopped = false
  let sent = 0
  let ok = 0
  const post = () =>
    new Promise((resolve) => {
      const send = url.startsWith('https') ? httpsRequest : httpRequest
      const req = send(
        url + 'bench/big',
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/octet-stream', 'content-length': body.length },
          ca: benchCa ?? undefined,
          rejectUnauthorized: false,
          timeout: 60_000
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk))
          res.on('end', () => {
            if (res.statusCode >= 200 && res.statusCode < 300) {
              ok += 1
              onBody(text)
            }
            resolve()
          })
          res.on('error', () => resolve())
        }
      )
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', () => resolve())
      req.end(body)
    })
  const running = (async () => {
    while (!stopped) {
      sent += 1
      await post()
    }
  })()
  return {
    async stop() {
      stopped = true
      await running
      agent.destroy()
      return { sent, ok }
    }
  }
}

async function main() {
  console.log(
    `Hookscope capture bench${https ? ' (HTTPS)' : ''}: node ${process.version}, ${cpus().length} CPUs, ${connections} connections, ` +
      `${warmup} s warm-up each, then ${rounds} × (${duration} s bare, ${duration} s crash, ${duration} s fsync)` +
      `${mixed ? `, then 2 × ${duration} s mixed (1 KiB senders alone, then with a 10 MiB sender)` : ''}, ${BODY.length} B POST body`
  )
  console.log(loadLine('start'))
  const workDir = mkdtempSync(join(tmpdir(), 'hookscope-bench-'))
  try {
    await runAll(workDir)
  } finally {
    for (const child of children) child.kill('SIGKILL')
    if (options['keep-data']) console.log(`data kept in ${workDir}`)
    else rmSync(workDir, { recursive: true, force: true })
  }
}

/** A `hookscope listen` at one durability level, with what its senders were acknowledged. */
function hookscopeServer(level, workDir, tls) {
  const dataDir = join(workDir, `data-${level}`)
  const server = startServer(
    ROOT,
    `hookscope listen --durability ${level}`,
    [CLI, 'listen', '--port', '0', '--no-ui', '--data', dataDir, '--durability', level, ...(tls ? ['--https'] : [])],
    /^Capture URL: (https?:\/\/\S+)$/,
    workDir,
    tls ? { ...process.env, HOOKSCOPE_PASSPHRASE: PASSPHRASE } : process.env
  )
  const state = { level, dataDir, server, url: null, acked: new Set(), unparsable: 0, total2xx: 0, runs: 0, maxConnections: 0, checkIds: [] }
  state.ack = (body) => {
    try {
      state.acked.add(JSON.parse(body).id)
    } catch {
      state.unparsable += 1
    }
  }
  return state
}

async function runAll(workDir) {
  // One certificate set serves every server: both data folders get the same CA and server key.
  const tls = https ? await prepareCertificates(workDir, join(workDir, 'data-crash')) : null
  const bare = startServer(ROOT, 'bare server', tls ? [BARE, '0', '--https', tls.certPath, tls.keyPath] : [BARE], /^Listening: (https?:\/\/\S+)$/, workDir)
  const servers = Object.fromEntries(LEVELS.map((level) => [level, hookscopeServer(level, workDir, tls)]))
  const bareUrl = await bare.ready
  for (const level of LEVELS) servers[level].url = await servers[level].server.ready
  if (tls) {
    benchCa = tls.caPem
    const bareCheck = await presentedFingerprint(bareUrl, tls.caPem)
    const hookscopeCheck = await presentedFingerprint(servers.crash.url, tls.caPem)
    servers.crash.checkIds.push(JSON.parse(hookscopeCheck.body).id)
    if (bareCheck.fingerprint !== tls.fingerprint256 || hookscopeCheck.fingerprint !== tls.fingerprint256) {
      throw new Error(
        `the servers present different certificates: bare ${bareCheck.fingerprint}, hookscope ${hookscopeCheck.fingerprint}, expected ${tls.fingerprint256}`
      )
    }
    console.log(`same server certificate on bare and crash (verified against the Hookscope CA): SHA-256 ${tls.fingerprint256}`)
    console.log('(the fsync server has its own CA, from its own data folder: same key type, same TLS settings)')
  }

  const run = async (target, seconds, connectionCount = connections) => {
    const onBody = target === 'bare' ? () => {} : servers[target].ack
    const meter = cpuMeter({ server: target === 'bare' ? bare.child.pid : servers[target].server.child.pid, generator: process.pid })
    const result = await load(target === 'bare' ? bareUrl : servers[target].url, seconds, onBody, connectionCount)
    const cpu = meter.stop(result.requests.total)
    if (target !== 'bare') {
      servers[target].total2xx += result['2xx']
      servers[target].runs += 1
      servers[target].maxConnections = Math.max(servers[target].maxConnections, connectionCount + 1)
    }
    return { ...summary(result), cpu }
  }

  if (warmup > 0) for (const target of ['bare', ...LEVELS]) await run(target, warmup)
  // Alternating rounds, so a noisy neighbour on the machine hits every side alike.
  const rows = []
  for (let round = 1; round <= rounds; round++) {
    const row = { round, bare: await run('bare', duration) }
    for (const level of LEVELS) row[level] = await run(level, duration)
    rows.push(row)
  }

  let mixedResult = null
  if (mixed) {
    const level = servers.crash
    const alone = await run('crash', duration, connections - 1)
    let bigAcked = 0
    const big = bigSender(level.url, (body) => {
      level.ack(body)
      bigAcked += 1
    })
    const withBig = await run('crash', duration, connections - 1)
    const bigCounts = await big.stop()
    level.total2xx += bigCounts.ok
    mixedResult = { alone, withBig, big: bigCounts, bigAcked }
  }

  const exits = {}
  for (const level of LEVELS) exits[level] = await servers[level].server.stop()
  const bareExit = await bare.stop()
  if (bareExit.code !== 0) console.warn(`bare server exited with ${bareExit.signal ?? bareExit.code}`)

  console.log('')
  console.log(
    'round  server                  req/s (mean)   p50 ms   p99 ms   2xx (measured)   non-2xx   errors   timeouts   CPU µs/req: server  load gen   machine busy'
  )
  const line = (round, name, s) =>
    console.log(
      `${String(round).padStart(5)}  ${name.padEnd(22)}  ${fmt(s.rps, 1).padStart(12)}   ${fmt(s.p50, 1).padStart(6)}   ` +
        `${fmt(s.p99, 1).padStart(6)}   ${fmt(s.total2xx).padStart(14)}   ${String(s.non2xx).padStart(7)}   ` +
        `${String(s.errors).padStart(6)}   ${String(s.timeouts).padStart(8)}   ${cpuColumns(s.cpu)}`
    )
  for (const row of rows) {
    line(row.round, https ? 'bare node:https' : 'bare node:http', row.bare)
    for (const level of LEVELS) line(row.round, `hookscope ${level}`, row[level])
    console.log(`       ratio to bare: crash ${(row.crash.rps / row.bare.rps).toFixed(3)}, fsync ${(row.fsync.rps / row.bare.rps).toFixed(3)}`)
  }
  console.log('')
  for (const level of LEVELS) {
    const ratio = median(rows.map((row) => row[level].rps / row.bare.rps))
    console.log(
      `ratio ${level}/bare (req/s${rounds > 1 ? `, median of ${rounds} rounds` : ''}): ${ratio.toFixed(3)} ` +
        `(target ≥ ${TARGETS[level]}: ${ratio >= TARGETS[level] ? 'met' : 'NOT met'})`
    )
  }
  const cpuOf = (level) => median(rows.map((row) => row[level].cpu.perRequestUs.server ?? Number.NaN))
  if (Number.isFinite(cpuOf('bare'))) {
    const busy = median(rows.flatMap((row) => ['bare', ...LEVELS].map((name) => row[name].cpu.machineBusy ?? Number.NaN)))
    console.log(
      `CPU per request, server process (all threads): bare ${fmt(cpuOf('bare'), 1)} µs, ` +
        LEVELS.map((level) => `${level} ${fmt(cpuOf(level), 1)} µs (${(cpuOf(level) / cpuOf('bare')).toFixed(1)}× bare)`).join(', ') +
        `; machine busy ${fmt(busy * 100, 0)} % of ${cpus().length} cores`
    )
    console.log('  (with every core busy, server and load generator share the CPU: req/s follows CPU time per request)')
  }
  if (mixedResult) {
    const { alone, withBig, big } = mixedResult
    const added = withBig.p99 - alone.p99
    console.log('')
    console.log(`mixed (crash level, ${connections - 1} senders of 1 KiB):`)
    line('', '1 KiB senders alone', alone)
    line('', '... with a 10 MiB sender', withBig)
    console.log(`  10 MiB sender: ${big.sent} posted, ${big.ok} answered 2xx (${fmt((big.ok * BIG_BODY_BYTES) / 1024 / 1024 / duration, 1)} MiB/s)`)
    console.log(
      `  p99 added by the 10 MiB sender: ${fmt(added, 1)} ms (target ≤ ${TARGET_ADDED_P99_MS} ms: ${added <= TARGET_ADDED_P99_MS ? 'met' : 'NOT met'})`
    )
  }

  let allDurable = true
  for (const level of LEVELS) allDurable = (await checkDurability(servers[level], exits[level])) && allDurable
  console.log(loadLine('end'))
  process.exitCode = allDurable ? 0 : 1
}

/**
 * Everything acknowledged with a 2xx (warm-up, measured and mixed runs) must be in the store,
 * except what retention evicted (the engine keeps the newest 100,000 deliveries and 1 GiB of
 * bodies, and drops older ones): a missing id must then be older than the oldest kept one.
 */
async function checkDurability(state, exit) {
  const { ids: stored, oldest, bad } = await exportedIds(state.dataDir)
  // The certificate check's request is stored too (and was answered, but not to autocannon).
  for (const id of state.checkIds) stored.delete(id)
  const missingIds = [...state.acked].filter((id) => !stored.has(id))
  // Ids start with 10 characters of millisecond time (same-millisecond ids are in random order).
  const oldestTime = oldest ? oldest.slice(0, 10) : ''
  const evicted = missingIds.filter((id) => oldest !== null && id.slice(0, 10) <= oldestTime).length
  const lost = missingIds.length - evicted
  const unanswered = [...stored].filter((id) => !state.acked.has(id)).length
  // Delivery lines (`12:03:55.120  POST ...`) it wrote.
  const printed = state.server
    .output()
    .split('\n')
    .filter((line) => /^\d\d:\d\d:\d\d\.\d{3}  /.test(line)).length
  console.log('')
  console.log(`durability (hookscope --durability ${state.level}):`)
  console.log(`  2xx counted (all runs):                          ${fmt(state.total2xx)}`)
  console.log(`  distinct delivery ids in those 2xx bodies:      ${fmt(state.acked.size)}${state.unparsable ? ` (${state.unparsable} unparsable bodies)` : ''}`)
  console.log(`  deliveries in the store (hookscope export):     ${fmt(stored.size)}${bad ? ` (${bad} unreadable lines)` : ''}`)
  console.log(`  acknowledged, stored:                           ${fmt(state.acked.size - missingIds.length)}`)
  console.log(`  acknowledged, evicted by retention (oldest):    ${fmt(evicted)}`)
  console.log(`  acknowledged, LOST (newer than the oldest kept): ${fmt(lost)}`)
  console.log(`  stored, answer cut off when a run ended:        ${fmt(unanswered)} (at most ${state.runs} × ${state.maxConnections} connections)`)
  console.log(`  delivery lines printed by listen:               ${fmt(printed)}; listen exited ${exit.signal ?? exit.code}`)
  if (evicted === 0) {
    const match = state.total2xx === stored.size - unanswered
    console.log(`  2xx = stored - cut off: ${fmt(state.total2xx)} = ${fmt(stored.size - unanswered)} (${match ? 'match' : 'MISMATCH'})`)
  } else {
    console.log('  (retention evicted the oldest; for an exact count keep the total under its limits with a shorter --duration)')
  }
  const durable =
    lost === 0 &&
    bad === 0 &&
    state.unparsable === 0 &&
    state.acked.size === state.total2xx &&
    unanswered <= state.runs * state.maxConnections &&
    (evicted > 0 || state.total2xx === stored.size - unanswered) &&
    exit.code === 0
  console.log(`  verdict: ${durable ? 'every acknowledged delivery is stored' : 'FAILED'}`)
  return durable
}

main().then(
  () => clearTimeout(watchdog),
  (error) => {
    process.stderr.write(`bench/capture.mjs: ${error.stack ?? error}\n`)
    for (const child of children) child.kill('SIGKILL')
    process.exitCode = 1
  }
)

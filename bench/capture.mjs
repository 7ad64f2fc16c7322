#!/usr/bin/env node
// Capture throughput: `hookscope listen` against a bare node:http server, same load, same run.
//
//   npm run bench:capture -- [--duration 10] [--connections 64] [--warmup 2] [--rounds 1] [--https]
//
// --https compares `hookscope listen --https` with a bare node:https server that uses the SAME
// certificate and key: the CA comes from `hookscope ca export`, the server certificate and its key
// from the engine's local CA in this process (bench/server-cert.ts, bundled on the fly), and both
// servers are checked to present that certificate (verified against the CA) before any load.
//
// Both servers run in their own child process on 127.0.0.1 and get the same 1 KiB POST from
// autocannon (in this process): a warm-up each, then measured runs, bare then Hookscope, `--rounds`
// times (on a busy machine, use several rounds: the ratio reported is the median). Then the
// Hookscope runs are checked for durability: `hookscope export` must hold every delivery
// autocannon got a 2xx for (except what retention evicted, which is reported).
// Exit 0 when durability holds (the ratio is reported, not enforced: it depends on the machine).
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const CLI = join(ROOT, 'bin', 'hookscope.js')
const BARE = join(ROOT, 'bench', 'bare-server.mjs')
const SERVER_CERT_TS = join(ROOT, 'bench', 'server-cert.ts')
/** Inside the repository, so the bundle's bare imports (better-sqlite3...) resolve from node_modules. */
const SERVER_CERT_BUNDLE = join(ROOT, 'out', 'bench', 'server-cert.mjs')
const TARGET_RATIO = 0.5
const START_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 30_000

function usage(message) {
  process.stderr.write(`bench/capture.mjs: ${message}\nUsage: node bench/capture.mjs [--duration SECONDS] [--connections N] [--warmup SECONDS] [--rounds N] [--https] [--keep-data]\n`)
  process.exit(2)
}

let flags
try {
  flags = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '64' },
      warmup: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '1' },
      https: { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false }
    },
    strict: true
  }).values
} catch (error) {
  usage(error.message.split('\n').join(' '))
}
const duration = positiveInt(flags.duration, 'duration', 1, 3600)
const connections = positiveInt(flags.connections, 'connections', 1, 10_000)
const warmup = positiveInt(flags.warmup, 'warmup', 0, 600)
const rounds = positiveInt(flags.rounds, 'rounds', 1, 20)
const https = flags.https
/** For the Hookscope child only (and this process's certificate step): a fresh one per run. */
const PASSPHRASE = randomBytes(18).toString('base64url')
/** The CA (PEM) autocannon and the certificate check trust, in --https runs. */
let benchCa = null

function positiveInt(value, name, min, max) {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) usage(`--${name} must be an integer from ${min} to ${max}, not "${value}"`)
  return Number(value)
}

if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) {
  process.stderr.write('bench/capture.mjs: out/main/cli.js is missing; run `npm run build` (npm run bench:capture does)\n')
  process.exit(1)
}

// 1 KiB of printable JSON-ish bytes, the same for both servers.
const BODY = Buffer.from(JSON.stringify({ event: 'bench', pad: 'x'.repeat(1024) }).slice(0, 1023) + '}')
if (BODY.length !== 1024) throw new Error(`body is ${BODY.length} bytes`)

const children = new Set()
const watchdog = setTimeout(
  () => {
    process.stderr.write('bench/capture.mjs: watchdog expired; killing children\n')
    for (const child of children) child.kill('SIGKILL')
    process.exit(1)
  },
  (2 * (rounds * duration + warmup) + 300) * 1000
)
watchdog.unref()

/**
 * Spawns a server with its stdout going to a file (so printing costs it a write, and costs the
 * load generator in this process nothing) and resolves once a line matches `pattern`.
 */
function startServer(name, args, pattern, workDir, env = process.env) {
  const outFile = join(workDir, `${name.replace(/\W+/g, '-')}.out`)
  const fd = openSync(outFile, 'w')
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', fd, 'pipe'], env })
  closeSync(fd)
  children.add(child)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8192)
  })
  let exit = null
  const exited = new Promise((resolve) =>
    child.once('close', (code, signal) => {
      children.delete(child)
      exit = { code, signal }
      resolve(exit)
    })
  )
  const ready = (async () => {
    const deadline = Date.now() + START_TIMEOUT_MS
    for (;;) {
      const match = readFileSync(outFile, 'utf8').split('\n').map((line) => pattern.exec(line)).find(Boolean)
      if (match) return match[1]
      if (exit) throw new Error(`${name} exited (${exit.signal ?? exit.code}) before it was ready\n${stderr}`)
      if (Date.now() > deadline) throw new Error(`${name} printed no URL within ${START_TIMEOUT_MS} ms\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  })()
  return {
    child,
    ready,
    exited,
    /** Complete lines written to stdout so far. */
    lines: () => readFileSync(outFile, 'utf8').split('\n').length - 1,
    stderr: () => stderr,
    async stop() {
      if (exit) return exit
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
      await exited
      clearTimeout(timer)
      return exit
    }
  }
}

function load(url, seconds, onBody) {
  return autocannon({
    url,
    connections,
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

function median(values) {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
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

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

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

async function main() {
  console.log(
    `Hookscope capture bench${https ? ' (HTTPS)' : ''}: node ${process.version}, ${cpus().length} CPUs, ${connections} connections, ` +
      `${warmup} s warm-up, then ${rounds} × (${duration} s bare, ${duration} s hookscope), ${BODY.length} B POST body`
  )
  console.log(`load average (1/5/15 min) at start: ${loadavg().map((n) => n.toFixed(2)).join(' / ')}`)
  const workDir = mkdtempSync(join(tmpdir(), 'hookscope-bench-'))
  try {
    await runBoth(workDir, join(workDir, 'data'))
  } finally {
    for (const child of children) child.kill('SIGKILL')
    if (flags['keep-data']) console.log(`data kept in ${workDir}`)
    else rmSync(workDir, { recursive: true, force: true })
  }
}

async function runBoth(workDir, dataDir) {
  const tls = https ? await prepareCertificates(workDir, dataDir) : null
  // Both servers in their own child process, both up for the whole run; an idle one costs nothing.
  const bare = startServer(
    'bare server',
    tls ? [BARE, '0', '--https', tls.certPath, tls.keyPath] : [BARE],
    /^Listening: (https?:\/\/\S+)$/,
    workDir
  )
  const hookscope = startServer(
    'hookscope listen',
    [CLI, 'listen', '--port', '0', '--no-ui', '--data', dataDir, ...(tls ? ['--https'] : [])],
    /^Capture URL: (https?:\/\/\S+)$/,
    workDir,
    tls ? { ...process.env, HOOKSCOPE_PASSPHRASE: PASSPHRASE } : process.env
  )
  const bareUrl = await bare.ready
  const captureUrl = await hookscope.ready
  const checkIds = []
  if (tls) {
    benchCa = tls.caPem
    const bareCheck = await presentedFingerprint(bareUrl, tls.caPem)
    const hookscopeCheck = await presentedFingerprint(captureUrl, tls.caPem)
    checkIds.push(JSON.parse(hookscopeCheck.body).id)
    if (bareCheck.fingerprint !== tls.fingerprint256 || hookscopeCheck.fingerprint !== tls.fingerprint256) {
      throw new Error(
        `the servers present different certificates: bare ${bareCheck.fingerprint}, hookscope ${hookscopeCheck.fingerprint}, expected ${tls.fingerprint256}`
      )
    }
    console.log(`same server certificate on both (verified against the Hookscope CA): SHA-256 ${tls.fingerprint256}`)
  }

  const acked = new Set()
  let unparsable = 0
  let total2xx = 0
  const ackHookscope = (body) => {
    try {
      acked.add(JSON.parse(body).id)
    } catch {
      unparsable += 1
    }
  }
  const run = async (url, seconds, onBody) => {
    const result = await load(url, seconds, onBody)
    if (url === captureUrl) total2xx += result['2xx']
    return result
  }

  if (warmup > 0) {
    await run(bareUrl, warmup, () => {})
    await run(captureUrl, warmup, ackHookscope)
  }
  // Alternating rounds, so a noisy neighbour on the machine hits both sides alike.
  const rows = []
  for (let round = 1; round <= rounds; round++) {
    const a = summary(await run(bareUrl, duration, () => {}))
    const b = summary(await run(captureUrl, duration, ackHookscope))
    rows.push({ round, a, b, ratio: b.rps / a.rps })
  }
  const exit = await hookscope.stop()
  const bareExit = await bare.stop()
  if (bareExit.code !== 0) console.warn(`bare server exited with ${bareExit.signal ?? bareExit.code}`)
  // Header lines: data folder and capture URL, plus the CA line over https.
  const printed = hookscope.lines() - (https ? 3 : 2) - checkIds.length

  console.log('')
  console.log('round  server             req/s (mean)   p50 ms   p99 ms   2xx (measured)   non-2xx   errors   timeouts')
  for (const { round, a, b, ratio } of rows) {
    for (const [name, s] of https ? [['bare node:https', a], ['hookscope --https', b]] : [['bare node:http', a], ['hookscope listen', b]]) {
      console.log(
        `${String(round).padStart(5)}  ${name.padEnd(17)}  ${fmt(s.rps, 1).padStart(12)}   ${fmt(s.p50, 1).padStart(6)}   ` +
          `${fmt(s.p99, 1).padStart(6)}   ${fmt(s.total2xx).padStart(14)}   ${String(s.non2xx).padStart(7)}   ` +
          `${String(s.errors).padStart(6)}   ${String(s.timeouts).padStart(8)}`
      )
    }
    console.log(`       ratio capture/bare: ${ratio.toFixed(3)}`)
  }
  const ratio = median(rows.map((row) => row.ratio))
  console.log('')
  console.log(
    `ratio capture/bare (req/s${rounds > 1 ? `, median of ${rounds} rounds` : ''}): ${ratio.toFixed(3)} ` +
      `(target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`
  )

  // Durability: everything autocannon got a 2xx for (warm-up + measured) must be in the store,
  // except what retention evicted (the engine keeps the newest DEFAULT_RETENTION.maxDeliveries,
  // 100,000, and drops older ones): a missing id must then be older than the oldest kept one.
  const { ids: stored, oldest, bad } = await exportedIds(dataDir)
  // The certificate check's request is stored too (and was answered, but not to autocannon).
  for (const id of checkIds) stored.delete(id)
  const missingIds = [...acked].filter((id) => !stored.has(id))
  // Ids start with 10 characters of millisecond time (same-millisecond ids are in random order).
  const oldestTime = oldest ? oldest.slice(0, 10) : ''
  const evicted = missingIds.filter((id) => oldest !== null && id.slice(0, 10) <= oldestTime).length
  const lost = missingIds.length - evicted
  const unanswered = [...stored].filter((id) => !acked.has(id)).length
  const runs = rounds + (warmup > 0 ? 1 : 0)
  console.log('')
  console.log('durability (hookscope):')
  console.log(`  2xx counted by autocannon (all runs):           ${fmt(total2xx)}`)
  console.log(`  distinct delivery ids in those 2xx bodies:      ${fmt(acked.size)}${unparsable ? ` (${unparsable} unparsable bodies)` : ''}`)
  console.log(`  deliveries in the store (hookscope export):     ${fmt(stored.size)}${bad ? ` (${bad} unreadable lines)` : ''}`)
  console.log(`  acknowledged, stored:                           ${fmt(acked.size - missingIds.length)}`)
  console.log(`  acknowledged, evicted by retention (oldest):    ${fmt(evicted)}`)
  console.log(`  acknowledged, LOST (newer than the oldest kept): ${fmt(lost)}`)
  console.log(`  stored, answer cut off when a run ended:        ${fmt(unanswered)} (at most ${runs} × ${connections} connections)`)
  console.log(`  delivery lines printed by listen:               ${fmt(printed)}; listen exited ${exit.signal ?? exit.code}`)
  if (evicted === 0) {
    console.log(`  2xx = stored - cut off: ${fmt(total2xx)} = ${fmt(stored.size - unanswered)} (${total2xx === stored.size - unanswered ? 'match' : 'MISMATCH'})`)
  } else {
    console.log('  (retention evicted the oldest; for an exact count keep the total under 100,000 with a shorter --duration)')
  }
  const durable =
    lost === 0 &&
    bad === 0 &&
    unparsable === 0 &&
    acked.size === total2xx &&
    unanswered <= runs * connections &&
    (evicted > 0 || total2xx === stored.size - unanswered) &&
    exit.code === 0
  console.log(`  verdict: ${durable ? 'every acknowledged delivery is stored' : 'FAILED'}`)
  console.log(`load average (1/5/15 min) at end: ${loadavg().map((n) => n.toFixed(2)).join(' / ')}`)
  process.exitCode = durable ? 0 : 1
}

main().then(
  () => clearTimeout(watchdog),
  (error) => {
    process.stderr.write(`bench/capture.mjs: ${error.stack ?? error}\n`)
    for (const child of children) child.kill('SIGKILL')
    process.exitCode = 1
  }
)

// Child processes of the benchmarks: servers started and stopped within bounds, and the set of
// everything started, so a watchdog or a failure can kill what is left.
import { spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const START_TIMEOUT_MS = 15_000
const STOP_TIMEOUT_MS = 30_000

/** Every child a benchmark started that has not exited yet (add short-lived ones too). */
export const children = new Set()

/**
 * Ends a benchmark that runs past `ms` (a hung server, a load that never finishes): every child is
 * killed and the process exits 1. Returns the timer, for clearTimeout once the run is done.
 */
export function startWatchdog(name, ms) {
  const timer = setTimeout(() => {
    process.stderr.write(`bench/${name}.mjs: watchdog expired; killing children\n`)
    for (const child of children) child.kill('SIGKILL')
    process.exit(1)
  }, ms)
  timer.unref()
  return timer
}

/**
 * Spawns `node ...args` in `root` with its stdout going to a file (so printing costs it a write,
 * and costs the load generator in this process nothing); `ready` resolves with the first capture
 * group of the first stdout line matching `pattern`.
 */
export function startServer(root, name, args, pattern, workDir, env = process.env) {
  const outFile = join(workDir, `${name.replace(/\W+/g, '-')}.out`)
  const fd = openSync(outFile, 'w')
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', fd, 'pipe'], env })
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
      const match = readFileSync(outFile, 'utf8')
        .split('\n')
        .map((line) => pattern.exec(line))
        .find(Boolean)
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
    /** What it wrote to stdout so far. */
    output: () => readFileSync(outFile, 'utf8'),
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

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The real CLI in a child process: `node bin/hookscope.js ...`, exactly what a user runs. Tests
 * assume `npm test` has built out/main/cli.js first (it runs `electron-vite build` before vitest).
 */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CLI_BIN = join(REPO_ROOT, 'bin', 'hookscope.js')
export const CLI_BUNDLE = join(REPO_ROOT, 'out', 'main', 'cli.js')

const DEFAULT_TIMEOUT_MS = 15_000

/** Throws a readable error when the CLI bundle is missing, instead of a confusing spawn failure. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_BUNDLE)) {
    throw new Error(`${CLI_BUNDLE} does not exist: build first (\`npx electron-vite build\`, or run \`npm test\`)`)
  }
}

export interface CliExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface CliProcess {
  child: ChildProcess
  pid: number
  /** Complete stdout lines so far (the child's stdout is always drained, so it never blocks). */
  lines: string[]
  stdout(): string
  stderr(): string
  /** Settles when the process has exited (never rejects). */
  exited: Promise<CliExit>
  exit: CliExit | null
  /** Resolves with the first stdout line matching, waiting at most `timeoutMs`. */
  waitForLine(match: RegExp, timeoutMs?: number): Promise<string>
  /** Sends `signal` and resolves with the exit; SIGKILL after `timeoutMs`, and then it rejects. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<CliExit>
  /** SIGKILL, and wait (bounded) until the OS has reaped it. */
  kill(): Promise<CliExit>
}

const running = new Set<CliProcess>()

/** Spawns `node bin/hookscope.js ...args` with piped stdio. */
export function spawnCli(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): CliProcess {
  assertCliBuilt()
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Never touch the developer's real data folder, even if a test forgets --data.
    env: { ...process.env, XDG_CONFIG_HOME: join(tmpdir(), 'hookscope-cli-test-config'), ...options.env }
  })
  if (child.pid === undefined) throw new Error('could not spawn the CLI')
  const lines: string[] = []
  const lineWaiters = new Set<() => void>()
  let stdout = ''
  let partial = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8')
  child.stderr!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => {
    stdout += chunk
    partial += chunk
    const parts = partial.split('\n')
    partial = parts.pop()!
    if (parts.length === 0) return
    lines.push(...parts)
    for (const wake of lineWaiters) wake()
  })
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk
  })

  const proc: CliProcess = {
    child,
    pid: child.pid,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    exit: null,
    exited: new Promise<CliExit>((resolveExit) => {
      // 'close' (not 'exit'): by then every byte of stdout/stderr has been read.
      child.once('close', (code, signal) => {
        proc.exit = { code, signal }
        running.delete(proc)
        for (const wake of lineWaiters) wake()
        resolveExit(proc.exit)
      })
      child.once('error', () => {
        proc.exit ??= { code: null, signal: null }
        running.delete(proc)
        resolveExit(proc.exit)
      })
    }),
    waitForLine(match, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return new Promise<string>((resolveLine, reject) => {
        const check = () => {
          const found = lines.find((line) => match.test(line))
          if (found !== undefined) return finish(() => resolveLine(found))
          if (proc.exit) {
            return finish(() => reject(new Error(`the CLI exited (${describeExit(proc.exit!)}) before printing ${match}\n${transcript(proc)}`)))
          }
        }
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matching ${match} within ${timeoutMs} ms\n${transcript(proc)}`))), timeoutMs)
        const finish = (settle: () => void) => {
          clearTimeout(timer)
          lineWaiters.delete(check)
          settle()
        }
        lineWaiters.add(check)
        check()
      })
    },
    async stop(signal = 'SIGTERM', timeoutMs = DEFAULT_TIMEOUT_MS) {
      if (proc.exit) return proc.exit
      child.kill(signal)
      const exit = await withTimeout(proc.exited, timeoutMs)
      if (exit) return exit
      child.kill('SIGKILL')
      await withTimeout(proc.exited, 5_000)
      throw new Error(`the CLI did not exit within ${timeoutMs} ms of ${signal}; killed\n${transcript(proc)}`)
    },
    async kill() {
      if (proc.exit) return proc.exit
      child.kill('SIGKILL')
      const exit = await withTimeout(proc.exited, 5_000)
      if (!exit) throw new Error(`the CLI (pid ${proc.pid}) survived SIGKILL for 5 s`)
      return exit
    }
  }
  running.add(proc)
  return proc
}

/** Runs a short command (export, a usage error) to completion; SIGKILL after `timeoutMs`. */
export async function runCli(
  args: string[],
  timeoutMs = DEFAULT_TIMEOUT_MS,
  env: NodeJS.ProcessEnv = {}
): Promise<CliExit & { stdout: string; stderr: string }> {
  const proc = spawnCli(args, { env })
  const exit = await withTimeout(proc.exited, timeoutMs)
  if (!exit) {
    await proc.kill()
    throw new Error(`hookscope ${args.join(' ')} did not finish within ${timeoutMs} ms\n${transcript(proc)}`)
  }
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() }
}

export interface ListenProcess extends CliProcess {
  captureUrl: string
  capturePort: number
  /** Null with --no-ui. `run`: the engine run id printed next to the token (app.info runId). */
  ui: { url: string; port: number; token: string; origin: string; run: string } | null
}

/**
 * `hookscope listen --port 0 --ui-port 0 --data DIR` (plus `extra` flags), resolved once it has
 * printed its URLs. If it exits or stays silent for `timeoutMs`, it is killed and this rejects.
 * `env` is added to the child's environment (e.g. HOOKSCOPE_PASSPHRASE), never to this process's.
 */
export async function startListen(
  dataDir: string,
  extra: string[] = [],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}
): Promise<ListenProcess> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const noUi = extra.includes('--no-ui')
  const args = ['listen', '--port', '0', ...(noUi ? [] : ['--ui-port', '0']), '--data', dataDir, ...extra]
  const proc = spawnCli(args, { env: options.env })
  try {
    const captureLine = await proc.waitForLine(/^Capture URL: /, timeoutMs)
    const capture = /^Capture URL: (http:\/\/127\.0\.0\.1:(\d+)\/)$/.exec(captureLine)
    if (!capture) throw new Error(`unexpected capture line: ${captureLine}`)
    let ui: ListenProcess['ui'] = null
    if (!noUi) {
      const uiLine = await proc.waitForLine(/^UI: /, timeoutMs)
      const match = /^UI: (http:\/\/127\.0\.0\.1:(\d+)\/)#token=([A-Za-z0-9_-]+)&run=([0-9a-z]+)$/.exec(uiLine)
      if (!match) throw new Error(`unexpected UI line: ${uiLine}`)
      ui = { url: match[1]!, port: Number(match[2]), token: match[3]!, origin: match[1]!.slice(0, -1), run: match[4]! }
    }
    return Object.assign(proc, { captureUrl: capture[1]!, capturePort: Number(capture[2]), ui })
  } catch (error) {
    await proc.kill().catch(() => undefined)
    throw error
  }
}

/** afterEach: SIGKILL whatever a failed test left running, and wait for it. */
export async function killAllCli(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.kill().catch(() => undefined)))
}

/** Resolves with the value, or with null once `ms` have passed. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<null>((resolveNull) => {
      timer = setTimeout(() => resolveNull(null), ms)
    })
  ])
}

/** Polls `check` every `intervalMs` until it returns a truthy value; throws after `timeoutMs`. */
export async function pollUntil<T>(check: () => T | Promise<T>, what: string, timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

function describeExit(exit: CliExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`
}

function transcript(proc: CliProcess): string {
  const clip = (text: string) => (text.length > 4000 ? '…' + text.slice(-4000) : text)
  return `--- stdout ---\n${clip(proc.stdout())}\n--- stderr ---\n${clip(proc.stderr())}`
}

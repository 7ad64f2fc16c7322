import { type ChildProcess, spawn } from 'node:child_process'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertCliBuilt, CLI_BIN, type CliProcess, pollUntil, REPO_ROOT, runCli, spawnCli } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * The per-request lines of `listen` and `relay-server` never hold the server up nor take it down:
 * listen's output goes into `head -3`, which exits after the startup lines, so every delivery line
 * meets a closed pipe; relay-server's reader stops reading, so its pipe fills up.
 */

const temps: ReturnType<typeof makeTempDir>[] = []
let shell: ChildProcess | undefined

beforeAll(() => assertCliBuilt())

afterEach(() => {
  // The shell and listen share a process group of their own.
  if (shell?.pid && shell.exitCode === null) {
    try {
      process.kill(-shell.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  shell = undefined
  for (const dir of temps.splice(0)) dir.remove()
})

describe('hookscope listen | head -3', () => {
  it('keeps capturing after the reader went away, and exits 0 on SIGTERM', async () => {
    const dir = makeTempDir('hookscope-head-')
    temps.push(dir)
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
    const listen = [process.execPath, CLI_BIN, 'listen', '--port', '0', '--no-ui', '--data', dir.path].map(quote).join(' ')
    // Both sides report on stderr, which does not go through head: when head is done, and listen's exit status.
    // listen runs in the background of its subshell only so that its pid can be told.
    const left = `(${listen} & pid=$!; echo "listen pid $pid" >&2; wait $pid; echo "listen exited $?" >&2)`
    shell = spawn('sh', ['-c', `${left} | (head -3; echo "head done" >&2)`], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true
    })
    let stdout = ''
    let stderr = ''
    shell.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    shell.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

    const url = (await pollUntil(() => /^Capture URL: (\S+)$/m.exec(stdout)?.[1], 'the capture URL', 20_000))!
    await pollUntil(() => stderr.includes('head done'), 'head to exit', 20_000)
    expect(stdout.split('\n').filter(Boolean)).toHaveLength(3)

    const ids: string[] = []
    for (let i = 0; i < 20; i++) {
      const res = await fetch(url + `after-head/${i}`, { method: 'POST', body: `delivery ${i}` })
      expect(res.status).toBe(200)
      ids.push(((await res.json()) as { id: string }).id)
    }
    expect(stderr).not.toContain('listen exited')

    process.kill(Number(/listen pid (\d+)/.exec(stderr)![1]), 'SIGTERM')
    await pollUntil(() => stderr.includes('listen exited'), 'listen to exit', 20_000)
    expect(stderr).toContain('listen exited 0')
    expect(stderr).not.toMatch(/EPIPE|unexpected failure/)

    const exported = await runCli(['export', '--data', dir.path, '--format', 'ndjson'], 60_000)
    expect(exported.code).toBe(0)
    const stored = exported.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { id: string }).id)
    expect(stored).toEqual(ids)
  }, 120_000)
})

/**
 * Stops reading `server`'s output, sends `total` POSTs to `url` + a long path (the pipe, 64 KiB,
 * and the stream's buffer fill up after a few hundred lines), then reads again: every request must
 * have been answered with `status` meanwhile, and every line must arrive once the reader is back.
 */
async function sendWhileNotRead(server: CliProcess, url: string, status: number): Promise<void> {
  server.child.stdout!.pause()
  const total = 1500
  const path = `/${'p'.repeat(200)}`
  let next = 0
  const statuses: number[] = []
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < total) {
        next++
        // A bound, not a timing claim: a stalled server fails the test instead of hanging it.
        const res = await fetch(url + path, { method: 'POST', body: 'x', signal: AbortSignal.timeout(20_000) })
        statuses.push(res.status)
        await res.arrayBuffer()
      }
    })
  )
  expect(statuses).toHaveLength(total)
  expect(new Set(statuses)).toEqual(new Set([status]))
  server.child.stdout!.resume()
  const printed = () => server.lines.filter((line) => line.includes(path)).length
  await pollUntil(() => printed() === total || undefined, `${total} lines`, 30_000)
  expect(server.stdout()).not.toContain('not printed')
}

describe('a reader that stops reading for a while', () => {
  it('listen keeps capturing while its output pipe is full, and prints every line once the reader reads again', async () => {
    const dir = makeTempDir('hookscope-full-pipe-')
    temps.push(dir)
    const listen = spawnCli(['listen', '--port', '0', '--no-ui', '--data', dir.path])
    try {
      const url = (await listen.waitForLine(/^Capture URL: (\S+)$/, 20_000)).split(' ').pop()!.replace(/\/$/, '')
      await sendWhileNotRead(listen, url, 200)
    } finally {
      await listen.stop()
    }
  }, 120_000)

  it('relay-server keeps answering senders while its output pipe is full, and prints every line once the reader reads again', async () => {
    const relay = spawnCli(['relay-server', '--open', '--port', '0', '--rate-limit', '0', '--queue-max', '100000'])
    try {
      const base = (await relay.waitForLine(/^Relay server on (\S+)$/, 20_000)).split(' ').pop()!
      const channel = (await (await fetch(`${base}/channels`, { method: 'POST' })).json()) as { url: string }
      await sendWhileNotRead(relay, channel.url, 202)
    } finally {
      await relay.stop()
    }
  }, 120_000)
})

import { type ChildProcess, spawn } from 'node:child_process'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { assertCliBuilt, CLI_BIN, pollUntil, REPO_ROOT, runCli } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * `listen`'s delivery lines never hold capture up nor take it down: here its output goes into
 * `head -3`, which exits after the startup lines, so every delivery line meets a closed pipe.
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

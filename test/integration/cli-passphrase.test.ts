import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolvePassphrase } from '../../electron/cli/passphrase-input'
import { assertCliBuilt, CLI_BIN, killAllCli, pollUntil, REPO_ROOT, spawnCli, withTimeout } from '../helpers/cli-process'
import { makeTempDir } from '../helpers/temp-dir'

/**
 * Issue 10 #2: HOOKSCOPE_PASSPHRASE is removed from process.env, but the kernel keeps the initial
 * environment in /proc/<pid>/environ. HOOKSCOPE_PASSPHRASE_FILE and the prompt keep it out of there.
 */
const PASSPHRASE = 'correct horse battery staple'

let dir: ReturnType<typeof makeTempDir>
beforeEach(() => {
  dir = makeTempDir()
})
afterEach(async () => {
  await killAllCli()
  dir.remove()
})

/** The child's environment without any passphrase this test process may have. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { HOOKSCOPE_PASSPHRASE: _a, HOOKSCOPE_PASSPHRASE_FILE: _b, ...rest } = process.env
  return { ...rest, XDG_CONFIG_HOME: join(dir.path, 'config'), ...extra }
}

describe('resolvePassphrase', () => {
  const files: Record<string, string> = { '/p': `${PASSPHRASE}\n`, '/crlf': `${PASSPHRASE}\r\n`, '/empty': '\n' }
  const read = (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' })
    return files[path]!
  }
  it('reads the file (one trailing newline dropped), else the variable; refuses both, a missing or an empty file', () => {
    expect(resolvePassphrase({ HOOKSCOPE_PASSPHRASE_FILE: '/p' }, read)).toMatchObject({ passphrase: PASSPHRASE })
    expect(resolvePassphrase({ HOOKSCOPE_PASSPHRASE_FILE: '/crlf' }, read)).toMatchObject({ passphrase: PASSPHRASE })
    expect(resolvePassphrase({ HOOKSCOPE_PASSPHRASE: PASSPHRASE }, read)).toEqual({ passphrase: PASSPHRASE })
    expect(resolvePassphrase({}, read)).toEqual({ passphrase: undefined })
    expect(resolvePassphrase({ HOOKSCOPE_PASSPHRASE: 'x', HOOKSCOPE_PASSPHRASE_FILE: '/p' }, read)).toHaveProperty('error')
    expect(resolvePassphrase({ HOOKSCOPE_PASSPHRASE_FILE: '/missing' }, read)).toEqual({ error: expect.stringContaining('ENOENT') })
    expect(resolvePassphrase({ HOOKSCOPE_PASSPHRASE_FILE: '/empty' }, read)).toEqual({ error: expect.stringContaining('empty') })
  })
})

describe('HOOKSCOPE_PASSPHRASE_FILE', () => {
  it('unlocks the keyring without the passphrase ever being in /proc/<pid>/environ (the variable is there)', async () => {
    const file = join(dir.path, 'passphrase')
    writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o600 })
    const data = join(dir.path, 'data')
    const fromFile = spawnCli(['listen', '--port', '0', '--no-ui', '--https', '--data', data], { env: cleanEnv({ HOOKSCOPE_PASSPHRASE_FILE: file }) })
    await fromFile.waitForLine(/^Capture URL: https:/)
    const environ = readFileSync(`/proc/${fromFile.pid}/environ`)
    expect(environ.includes(PASSPHRASE)).toBe(false)
    expect(environ.includes(file)).toBe(true) // only the file's name
    expect((await fromFile.stop('SIGINT')).code).toBe(0)

    // What the README warns about: the variable stays readable for the process's lifetime.
    const fromVariable = spawnCli(['listen', '--port', '0', '--no-ui', '--https', '--data', data], { env: cleanEnv({ HOOKSCOPE_PASSPHRASE: PASSPHRASE }) })
    await fromVariable.waitForLine(/^Capture URL: https:/)
    expect(readFileSync(`/proc/${fromVariable.pid}/environ`).includes(PASSPHRASE)).toBe(true)
    expect((await fromVariable.stop('SIGINT')).code).toBe(0)
  })

  it('names an unreadable file and exits 1', async () => {
    const proc = spawnCli(['listen', '--port', '0', '--no-ui', '--data', join(dir.path, 'data')], {
      env: cleanEnv({ HOOKSCOPE_PASSPHRASE_FILE: join(dir.path, 'missing') })
    })
    expect((await withTimeout(proc.exited, 15_000))?.code).toBe(1)
    expect(proc.stderr()).toMatch(/HOOKSCOPE_PASSPHRASE_FILE .*missing: ENOENT/)
  })
})

/**
 * The prompt, on a real pseudo-terminal: util-linux `script` runs the CLI on a pty and relays
 * this test's writes as keystrokes. The pty echoes what is typed unless the program turns echo off
 * (script's default for piped input), so "never shown" is a real check of the prompt.
 */
const hasScript = spawnSync('script', ['--version']).status === 0

function inTerminal(args: string[], env: NodeJS.ProcessEnv) {
  assertCliBuilt()
  const command = [process.execPath, CLI_BIN, ...args].map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] })
  let screen = ''
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let seen = 0
  return {
    screen: () => screen,
    exited,
    /** Waits until `text` appears on the terminal after what was already waited for. */
    async expect(text: string) {
      await pollUntil(
        () => {
          const at = screen.indexOf(text, seen)
          if (at < 0) return undefined
          seen = at + text.length
          return true
        },
        `"${text}" on the terminal (so far: ${JSON.stringify(screen.slice(-300))})`,
        20_000
      )
    },
    type(line: string) {
      child.stdin.write(`${line}\r`)
    },
    kill: () => child.kill('SIGKILL')
  }
}

describe.skipIf(!hasScript)('the passphrase prompt on a terminal', () => {
  it('creates the keyring with a passphrase typed twice, never echoed; then unlocks it, refusing a wrong one', async () => {
    const data = join(dir.path, 'data')
    const first = inTerminal(['cert', 'client', '--name', 'acme', '--out', join(dir.path, 'out1'), '--data', data], cleanEnv())
    try {
      await first.expect('New keyring passphrase (at least 8 characters):')
      first.type(PASSPHRASE)
      await first.expect('The same passphrase again:')
      first.type(PASSPHRASE)
      expect(await withTimeout(first.exited, 30_000)).toBe(0)
    } finally {
      first.kill()
    }
    expect(existsSync(join(dir.path, 'out1', 'acme.key.pem'))).toBe(true)
    expect(first.screen()).not.toContain(PASSPHRASE)

    const second = inTerminal(['cert', 'client', '--name', 'bob', '--out', join(dir.path, 'out2'), '--data', data], cleanEnv())
    try {
      await second.expect('Keyring passphrase:')
      second.type('not the passphrase')
      await second.expect('does not unlock the keyring; try again')
      await second.expect('Keyring passphrase:')
      second.type(PASSPHRASE)
      expect(await withTimeout(second.exited, 30_000)).toBe(0)
    } finally {
      second.kill()
    }
    expect(existsSync(join(dir.path, 'out2', 'bob.key.pem'))).toBe(true)
    expect(second.screen()).not.toContain(PASSPHRASE)
    expect(second.screen()).not.toContain('not the passphrase')
  })

  it('is not shown when a passphrase is given, nor when the command does not need the keyring', async () => {
    const data = join(dir.path, 'data')
    const listen = inTerminal(['listen', '--port', '0', '--no-ui', '--data', data], cleanEnv())
    try {
      await listen.expect('Capture URL:')
      expect(listen.screen()).not.toContain('passphrase')
    } finally {
      listen.kill()
    }
  })
})

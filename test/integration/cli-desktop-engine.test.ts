import { X509Certificate } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ENGINE_FILE } from '../../electron/engine/http/engine-file'
import { type LocalAccessPoint, startLocalAccessPoint } from '../../electron/engine/http/local-access-point'
import { silentLogger } from '../../electron/engine/logger'
import { assertCliBuilt, killAllCli, runCli } from '../helpers/cli-process'
import { answer, startTarget, type TargetServer } from '../helpers/relay-targets'
import { makeTempDir } from '../helpers/temp-dir'
import { startTestEngine, type TestEngine } from '../helpers/test-engine'

/**
 * The CLI against an engine hosted the way the desktop app hosts it (electron/main/index.ts:
 * createEngine with host 'desktop' and an OS key protector, engine.start(), then the local access
 * point), in this process, no Electron: the desktop app and the CLI share the default data folder,
 * and `ca export`, `replay`, `cert client` run in a terminal must reach the app instead of being
 * refused by the folder's lock. Real CLI processes, real SQLite, real loopback sockets.
 */

const PASSPHRASE = 'desktop engine test passphrase'
const STEP_TIMEOUT_MS = 20_000
/** A test runs several CLI processes one after another, each step bounded by STEP_TIMEOUT_MS. */
const SEVERAL_PROCESSES = { timeout: 120_000 }

/** Stands in for safeStorage (the OS keychain): reversible, and not the identity. */
const fakeOsKeychain = {
  kind: 'os' as const,
  protect: (plain: Buffer) => Buffer.concat([Buffer.from('os:'), Buffer.from(plain).reverse()]),
  unprotect: (wrapped: Buffer) => Buffer.from(wrapped.subarray(3)).reverse()
}

const temps: ReturnType<typeof makeTempDir>[] = []
const targets: TargetServer[] = []
const running: { engine: TestEngine; access: LocalAccessPoint | null }[] = []

beforeAll(() => assertCliBuilt())

afterEach(async () => {
  await killAllCli()
  for (const host of running.splice(0)) {
    await host.access?.stop()
    await host.engine.stop()
  }
  await Promise.all(targets.splice(0).map((server) => server.close()))
  for (const dir of temps.splice(0)) dir.remove()
})

function tempDir(): string {
  const dir = makeTempDir('hookscope-cli-desktop-')
  temps.push(dir)
  return dir.path
}

/** What electron/main/index.ts does at startup, minus the window; `access: false` is the app before this change. */
async function desktopApp(dataDir: string, options: { access?: boolean } = {}) {
  const engine = await startTestEngine({ dataDir, desktop: { keyProtector: fakeOsKeychain } })
  const access = options.access === false ? null : await startLocalAccessPoint({ engine: engine.engine, dataDir, version: 'test', logger: silentLogger })
  const host = { engine, access }
  running.push(host)
  return {
    ...engine,
    access,
    /** What quitting the app does: the access point first, then the engine. */
    quit: async () => {
      running.splice(running.indexOf(host), 1)
      await access?.stop()
      await engine.stop()
    }
  }
}

function run(args: string[], env: NodeJS.ProcessEnv = { HOOKSCOPE_PASSPHRASE: '' }) {
  return runCli(args, STEP_TIMEOUT_MS, env)
}

describe('the CLI while the desktop app holds the data folder', SEVERAL_PROCESSES, () => {
  it('ca export and replay --to go through the app; after it quits the file is gone and the CLI opens the folder itself', async () => {
    const dataDir = tempDir()
    const app = await desktopApp(dataDir)
    const path = join(dataDir, ENGINE_FILE)
    expect(statSync(path).mode & 0o777).toBe(0o600)

    const ca = await run(['ca', 'export', '--data', dataDir])
    expect(ca.stderr).toBe('')
    expect(ca.code).toBe(0)
    const caCert = new X509Certificate(ca.stdout)
    expect(caCert.ca).toBe(true)
    // The app's CA: created by the app (its keyring is unlocked by the OS keychain), exported through it.
    const own = await app.client.invoke('certificates.exportCa', { format: 'pem' })
    expect(Buffer.from(own.contentBase64, 'base64').toString()).toBe(ca.stdout)

    const target = await startTarget(answer(202, 'taken'))
    targets.push(target)
    const body = '{"type":"invoice.paid"}'
    const captured = await fetch(`${app.url}hooks/desktop`, { method: 'POST', body, headers: { 'X-Odd-CASE': 'kept' } })
    expect(captured.status).toBe(200)
    const { id } = (await captured.json()) as { id: string }

    const replay = await run(['replay', id, '--to', target.url, '--data', dataDir])
    expect(replay.stderr).toBe('')
    expect(replay.code).toBe(0)
    expect(replay.stdout).toMatch(new RegExp(`^${id}  POST ${target.url}/hooks/desktop  → 202 in `))
    const [received] = await target.waitForRequests(1)
    expect(received!.body.toString()).toBe(body)
    expect(received!.headers).toContainEqual(['X-Odd-CASE', 'kept'])
    // Recorded by the app's engine, so its Relay tab shows it.
    const { items } = await app.client.invoke('attempts.list', { kind: 'replay' })
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ deliveryId: id, status: 202 })

    await app.quit()
    expect(existsSync(path)).toBe(false)
    const after = await run(['ca', 'export', '--data', dataDir])
    expect(after.code).toBe(0)
    expect(after.stdout).toBe(ca.stdout)
    // Opened by the command itself: no engine answered, none left a file.
    expect(existsSync(path)).toBe(false)
  })

  it('a keyring the app has locked is unlocked through it with the passphrase, and the messages name the app', async () => {
    const dataDir = tempDir()
    // A keyring protected by a passphrase only, as after "remove the OS keychain protection": the app starts locked.
    const setup = await startTestEngine({ dataDir, passphrase: PASSPHRASE })
    await setup.client.invoke('certificates.exportCa', { format: 'pem' })
    await setup.stop()
    const app = await desktopApp(dataDir)
    const status = await app.client.invoke('vault.status', {})
    expect(status).toMatchObject({ state: 'locked', protections: ['passphrase'] })

    const outDir = tempDir()
    const args = ['cert', 'client', '--name', 'from-terminal', '--out', outDir, '--data', dataDir]
    const wrong = await run(args, { HOOKSCOPE_PASSPHRASE: 'not the passphrase' })
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('needs the keyring of the running Hookscope desktop app unlocked, and HOOKSCOPE_PASSPHRASE did not unlock it')

    const right = await run(args, { HOOKSCOPE_PASSPHRASE: PASSPHRASE })
    expect(right.code).toBe(0)
    expect(right.stderr).toContain('unlocked the keyring of the running Hookscope desktop app; it stays unlocked until the app quits')
    expect(existsSync(join(outDir, 'from-terminal.crt.pem'))).toBe(true)
    expect((await app.client.invoke('vault.status', {})).state).toBe('unlocked')
  })

  it('without the access point (an app of an earlier version) the command is refused with a sentence that says what to do', async () => {
    const dataDir = tempDir()
    await desktopApp(dataDir, { access: false })
    const refused = await run(['ca', 'export', '--data', dataDir])
    expect(refused.code).toBe(1)
    expect(refused.stdout).toBe('')
    expect(refused.stderr).toContain(`the data folder ${dataDir} is in use by another Hookscope (pid ${process.pid})`)
    expect(refused.stderr).toContain(`answers through ${join(dataDir, ENGINE_FILE)}, and this one does not`)
    expect(refused.stderr).toMatch(/close it, run this command, then start it again\n$/)
  })
})

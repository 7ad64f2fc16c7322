import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { remoteEngine } from '../../../../electron/cli/remote-engine'
import { ENGINE_FILE, readEngineFile, writeEngineFile } from '../../../../electron/engine/http/engine-file'
import { type LocalAccessPoint, startLocalAccessPoint } from '../../../../electron/engine/http/local-access-point'
import { silentLogger } from '../../../../electron/engine/logger'
import { acquireDataDirLock, type DataDirLock } from '../../../../electron/engine/store/data-dir-lock'
import type { AppInfo } from '../../../../shared/api/contract'
import { isEngineError } from '../../../../shared/errors'
import { makeTempDir } from '../../../helpers/temp-dir'

/**
 * The local access point alone (real sockets, real files), in front of a stand-in engine that
 * answers app.info: the engine file it writes, what that file lets a client do, and its removal.
 * test/integration/cli-desktop-engine.test.ts runs the CLI against it over a real engine.
 */

const temps: ReturnType<typeof makeTempDir>[] = []
const points: LocalAccessPoint[] = []
const locks: DataDirLock[] = []

afterEach(async () => {
  await Promise.all(points.splice(0).map((point) => point.stop()))
  for (const lock of locks.splice(0)) lock.release()
  for (const dir of temps.splice(0)) dir.remove()
})

function dataDir(): string {
  const dir = makeTempDir('hookscope-access-')
  temps.push(dir)
  return dir.path
}

function standInEngine(dir: string) {
  const info: AppInfo = { name: 'Hookscope', version: 'test', dataDir: dir, host: 'desktop', runId: 'run-1' }
  return {
    invoke: async (method: string) => {
      if (method === 'app.info') return info
      throw new Error(`unexpected ${method}`)
    },
    subscribe: () => () => undefined,
    exportDeliveries: () => {
      throw new Error('unexpected export')
    }
  }
}

async function start(dir: string, extra: Partial<Parameters<typeof startLocalAccessPoint>[0]> = {}): Promise<LocalAccessPoint> {
  const point = await startLocalAccessPoint({ engine: standInEngine(dir), dataDir: dir, version: '9.9.9', logger: silentLogger, ...extra })
  points.push(point)
  return point
}

function fileIn(dir: string): { pid: number; host: string; port: number; token: string; version: string } {
  return JSON.parse(readFileSync(join(dir, ENGINE_FILE), 'utf8'))
}

describe('startLocalAccessPoint', () => {
  it('serves the API on loopback and names it in a 0600 engine file, which the token in it (and only it) opens', async () => {
    const dir = dataDir()
    const point = await start(dir)
    const path = join(dir, ENGINE_FILE)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const file = fileIn(dir)
    expect(file).toEqual({ pid: process.pid, host: '127.0.0.1', port: point.port, token: expect.any(String), version: '9.9.9' })
    expect(file.token.length).toBeGreaterThanOrEqual(32)

    expect(await remoteEngine(file.host, file.port, file.token).invoke('app.info', {})).toMatchObject({ dataDir: dir, host: 'desktop' })
    const refused = await remoteEngine(file.host, file.port, `${file.token}x`)
      .invoke('app.info', {})
      .catch((error: unknown) => error)
    expect(isEngineError(refused) && refused.code).toBe('UNAUTHORIZED')
  })

  it('draws a new token per run', async () => {
    const dir = dataDir()
    const first = await start(dir)
    const firstToken = fileIn(dir).token
    await first.stop()
    await start(dir)
    expect(fileIn(dir).token).not.toBe(firstToken)
  })

  it('stop removes the file and closes the port; a second stop is harmless', async () => {
    const dir = dataDir()
    const point = await start(dir)
    const { host, port, token } = fileIn(dir)
    await point.stop()
    expect(existsSync(join(dir, ENGINE_FILE))).toBe(false)
    const after = await remoteEngine(host, port, token)
      .invoke('app.info', {})
      .catch((error: unknown) => error)
    expect(isEngineError(after) && after.code).toBe('TRANSPORT')
    await point.stop()
  })

  it('stop leaves alone a file that is no longer its own (another engine wrote one since)', async () => {
    const dir = dataDir()
    const point = await start(dir)
    const other = { pid: process.pid, host: '127.0.0.1', port: 1, token: 'another-engine-token-0123456789', version: 'x' }
    writeEngineFile(dir, other)
    await point.stop()
    expect(fileIn(dir)).toEqual(other)
  })

  it('serves no UI files unless the host serves its UI through it', async () => {
    const rendererDir = dataDir()
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hookscope</title>')
    const apiOnly = await start(dataDir())
    const withUi = await start(dataDir(), { ui: { host: '127.0.0.1', port: 0, rendererDir } })
    expect((await fetch(`http://127.0.0.1:${apiOnly.port}/`)).status).toBe(404)
    const page = await fetch(`http://127.0.0.1:${withUi.port}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Hookscope</title>')
    expect(withUi.uiUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${withUi.port}/#token=`))
  })

  it('fails with INTERNAL when the file cannot be written, and leaves nothing listening', async () => {
    const dir = join(dataDir(), 'missing')
    const failure = await start(dir).catch((error: unknown) => error)
    expect(isEngineError(failure) && failure.code).toBe('INTERNAL')
    expect((failure as Error).message).toContain(join(dir, ENGINE_FILE))
    expect(existsSync(dir)).toBe(false)
  })
})

describe('readEngineFile', () => {
  it('trusts the file only while its pid holds the data folder', async () => {
    const dir = dataDir()
    await start(dir)
    expect(readEngineFile(dir)).toBeNull()
    locks.push(acquireDataDirLock(dir))
    expect(readEngineFile(dir)).toMatchObject({ pid: process.pid, host: '127.0.0.1' })
  })

  it('ignores a file that is not an engine file', () => {
    const dir = dataDir()
    locks.push(acquireDataDirLock(dir))
    writeFileSync(join(dir, ENGINE_FILE), JSON.stringify({ pid: process.pid, host: '127.0.0.1', port: 80 }))
    expect(readEngineFile(dir)).toBeNull()
    writeFileSync(join(dir, ENGINE_FILE), 'not json')
    expect(readEngineFile(dir)).toBeNull()
  })
})

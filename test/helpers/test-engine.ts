import { afterEach, beforeEach } from 'vitest'
import { createEngine } from '../../electron/engine'
import type { NewEndpoint } from '../../electron/engine/capture/endpoint-manager'
import { systemClock } from '../../electron/engine/clock'
import type { CaptureTimeouts, Engine, EngineConfig, KeyProtector, RetentionLimits } from '../../electron/engine/engine-types'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import type { EngineClient, EngineEvent } from '../../shared/api/contract'
import type { Delivery } from '../../shared/model/delivery'
import type { Endpoint } from '../../shared/model/endpoint'
import { makeTempDir } from './temp-dir'

export interface TestEngine {
  engine: Engine
  client: EngineClient
  endpoint: Endpoint
  /** Capture URL of the test endpoint, e.g. http://127.0.0.1:41234/ */
  url: string
  port: number
  events: EngineEvent[]
  stop(): Promise<void>
}

/** The one delivery the test engine holds (fails the test if there are more or none). */
export async function onlyDelivery(t: TestEngine): Promise<Delivery> {
  const page = await t.client.invoke('deliveries.list', {})
  if (page.items.length !== 1) throw new Error(`expected one delivery, found ${page.items.length}`)
  return t.client.invoke('deliveries.get', { id: page.items[0]!.id })
}

export interface TestEngineOptions {
  dataDir: string
  endpoint?: Partial<NewEndpoint>
  retention?: Partial<RetentionLimits>
  timeouts?: Partial<CaptureTimeouts>
  passphrase?: string
  durability?: EngineConfig['durability']
  maxInFlightBodyBytes?: number
  /** As the desktop app hosts it: host 'desktop', the keyring protected by `keyProtector` (the OS keychain there). */
  desktop?: { keyProtector: KeyProtector }
}

/** A real engine on a real data folder, with one endpoint on 127.0.0.1 port 0. */
export async function startTestEngine(options: TestEngineOptions): Promise<TestEngine> {
  const engine = await createEngine(
    {
      dataDir: options.dataDir,
      host: options.desktop ? 'desktop' : 'headless',
      version: 'test',
      retention: options.retention,
      timeouts: options.timeouts,
      passphrase: options.passphrase,
      durability: options.durability,
      maxInFlightBodyBytes: options.maxInFlightBodyBytes
    },
    { clock: systemClock, logger: silentLogger, keyProtector: options.desktop?.keyProtector }
  )
  const events: EngineEvent[] = []
  engine.subscribe((event) => events.push(event))
  await engine.start()
  const client = createLocalClient(engine)
  const existing = (await client.invoke('endpoints.list', {})).find((e) => e.id === 'test')
  const endpoint = existing
    ? await client.invoke('endpoints.update', { id: 'test', patch: { port: 0, ...options.endpoint } })
    : await client.invoke('endpoints.create', { id: 'test', name: 'Test', port: 0, ...options.endpoint })
  if (endpoint.state.status !== 'listening' || !endpoint.state.url || !endpoint.state.port) {
    throw new Error(`test endpoint did not start: ${endpoint.state.error}`)
  }
  return { engine, client, endpoint, url: endpoint.state.url, port: endpoint.state.port, events, stop: () => engine.stop() }
}

export interface EngineEachTest {
  /** This test's folder: made before each test, removed after it. */
  readonly dir: string
  /**
   * Starts a test engine with its data in `dir` (or in `options.dataDir`). Whatever the test started
   * and did not stop itself is stopped after it, last started first.
   */
  start(options?: Partial<TestEngineOptions>): Promise<TestEngine>
  /** The engine the test started last and has not stopped, for a file's own helpers; throws if there is none. */
  readonly last: TestEngine
}

/**
 * The per-test lifecycle of a file of engine tests: a fresh temp folder for each test, its engines
 * stopped after it, then the folder removed. Call it at module or describe level (it registers
 * beforeEach/afterEach there). After-each hooks run last-registered first: a file's own after-each
 * hooks registered below this call run before the engines stop.
 */
export function engineEachTest(prefix?: string): EngineEachTest {
  let dir: ReturnType<typeof makeTempDir> | undefined
  const running: TestEngine[] = []

  beforeEach(() => {
    dir = makeTempDir(prefix)
  })
  afterEach(async () => {
    for (const t of running.toReversed()) await t.stop()
    dir?.remove()
    dir = undefined
  })

  const current = () => {
    if (!dir) throw new Error('engineEachTest: no test is running')
    return dir
  }
  return {
    get dir() {
      return current().path
    },
    async start(options = {}) {
      const started = await startTestEngine({ ...options, dataDir: options.dataDir ?? current().path })
      const t: TestEngine = {
        ...started,
        // Stopped by the test: nothing left to stop after it.
        stop: async () => {
          await started.stop()
          const at = running.indexOf(t)
          if (at >= 0) running.splice(at, 1)
        }
      }
      running.push(t)
      return t
    },
    get last() {
      const t = running.at(-1)
      if (!t) throw new Error('engineEachTest: no engine is running')
      return t
    }
  }
}

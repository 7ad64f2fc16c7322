import { createEngine } from '../../electron/engine'
import type { NewEndpoint } from '../../electron/engine/capture/endpoint-manager'
import { systemClock } from '../../electron/engine/clock'
import type { CaptureTimeouts, Engine, EngineConfig, KeyProtector, RetentionLimits } from '../../electron/engine/engine-types'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import type { EngineClient, EngineEvent } from '../../shared/api/contract'
import type { Delivery } from '../../shared/model/delivery'
import type { Endpoint } from '../../shared/model/endpoint'

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

/** A real engine on a real data folder, with one endpoint on 127.0.0.1 port 0. */
export async function startTestEngine(options: {
  dataDir: string
  endpoint?: Partial<NewEndpoint>
  retention?: Partial<RetentionLimits>
  timeouts?: Partial<CaptureTimeouts>
  passphrase?: string
  durability?: EngineConfig['durability']
  maxInFlightBodyBytes?: number
  /** As the desktop app hosts it: host 'desktop', the keyring protected by `keyProtector` (the OS keychain there). */
  desktop?: { keyProtector: KeyProtector }
}): Promise<TestEngine> {
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

import type { EngineClient, EngineEvent } from '../../shared/api/contract'
import type { Endpoint } from '../../shared/model/endpoint'
import { createEngine } from '../../electron/engine'
import { systemClock } from '../../electron/engine/clock'
import type { CaptureTimeouts, Engine, RetentionLimits } from '../../electron/engine/engine-types'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import type { NewEndpoint } from '../../electron/engine/capture/endpoint-manager'

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

/** A real engine on a real data folder, with one endpoint on 127.0.0.1 port 0. */
export async function startTestEngine(options: {
  dataDir: string
  endpoint?: Partial<NewEndpoint>
  retention?: Partial<RetentionLimits>
  timeouts?: Partial<CaptureTimeouts>
  passphrase?: string
}): Promise<TestEngine> {
  const engine = await createEngine(
    {
      dataDir: options.dataDir,
      host: 'headless',
      version: 'test',
      retention: options.retention,
      timeouts: options.timeouts,
      passphrase: options.passphrase
    },
    { clock: systemClock, logger: silentLogger }
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

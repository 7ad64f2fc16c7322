import { createEngineApi } from './engine-api'
import { EndpointManager } from './capture/endpoint-manager'
import { DEFAULT_RETENTION, DEFAULT_TIMEOUTS, type Engine, type EngineConfig, type EngineDeps } from './engine-types'
import { EventHub } from './event-hub'
import { createIdGenerator } from './ids'
import { acquireDataDirLock } from './store/data-dir-lock'
import { DeliveriesRepo } from './store/deliveries-repo'
import { DeliveryWriter } from './store/delivery-writer'
import { EndpointsRepo } from './store/endpoints-repo'
import { openDatabase } from './store/open-database'
import { mkdirSync } from 'node:fs'

export type { Engine, EngineConfig, EngineDeps } from './engine-types'

/**
 * Builds the engine over one data folder. Throws EngineError (STORE_*) when the folder cannot be
 * used; nothing listens until `start()`.
 */
export async function createEngine(config: EngineConfig, deps: EngineDeps): Promise<Engine> {
  const retention = { ...DEFAULT_RETENTION, ...config.retention }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts }
  mkdirSync(config.dataDir, { recursive: true })
  const lock = acquireDataDirLock(config.dataDir)
  let db
  try {
    db = openDatabase(config.dataDir, { nativeBinding: config.nativeBinding })
  } catch (error) {
    lock.release()
    throw error
  }
  const events = new EventHub(deps.logger)
  const deliveries = new DeliveriesRepo(db)
  const writer = new DeliveryWriter(
    (records) => deliveries.insertMany(records),
    (records) => {
      for (const record of records) {
        const { headers: _headers, body: _body, ...summary } = record
        events.emit({ type: 'delivery.added', delivery: summary })
      }
      const evicted = deliveries.evict(retention)
      if (evicted.length > 0) events.emit({ type: 'deliveries.removed', ids: evicted })
    }
  )
  const endpoints = new EndpointManager({
    repo: new EndpointsRepo(db),
    clock: deps.clock,
    logger: deps.logger,
    timeouts,
    nextId: createIdGenerator(deps.clock.now),
    store: (record) => writer.write(record),
    emit: (event) => events.emit(event)
  })
  const api = createEngineApi({
    info: { name: 'Hookscope', version: config.version, dataDir: config.dataDir, host: config.host },
    deliveries,
    endpoints,
    events
  })

  let stopping: Promise<void> | undefined
  return {
    invoke: api.invoke,
    subscribe: (listener) => events.subscribe(listener),
    start: () => endpoints.startEnabled(),
    stop() {
      stopping ??= (async () => {
        await endpoints.closeAll()
        writer.close()
        db.close()
        lock.release()
      })()
      return stopping
    }
  }
}

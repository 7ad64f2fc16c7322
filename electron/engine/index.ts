import { join } from 'node:path'
import { EngineError } from '../../shared/errors'
import { EndpointManager } from './capture/endpoint-manager'
import { createEngineApi } from './engine-api'
import { createDeliveryExporter } from './export/export-deliveries'
import { DEFAULT_RETENTION, DEFAULT_TIMEOUTS, type Engine, type EngineConfig, type EngineDeps } from './engine-types'
import { EventHub } from './event-hub'
import { createIdGenerator } from './ids'
import { Keyring } from './keyring/keyring'
import { acquireDataDirLock } from './store/data-dir-lock'
import { secureDataDir } from './store/data-dir-modes'
import { DeliveriesRepo } from './store/deliveries-repo'
import { DeliveryWriter } from './store/delivery-writer'
import { startEventTypeBackfill } from './store/event-type-backfill'
import { EndpointsRepo } from './store/endpoints-repo'
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from './store/open-database'
import { RejectedConnectionsRepo } from './store/rejected-connections-repo'
import { StoreHealth } from './store/store-health'
import { WalSync } from './store/wal-sync'
import type { DeliveryRecord } from './store/delivery-record'
import { recordIngress } from './tunnel/record-ingress'
import { TunnelManager } from './tunnel/tunnel-manager'
import { TunnelsRepo } from './tunnel/tunnels-repo'
import { TunnelReceiptsRepo } from './tunnel/tunnel-receipts'
import { CertificateStore } from './tls/certificate-store'
import { LocalCa } from './tls/local-ca'
import { TrustedIssuers } from './tls/trusted-issuers'
import { createDeliveryVerifier } from './verify/delivery-verifier'
import { allSchemes, checkKeyForScheme } from './verify/registry'
import { createRelay } from './relay/create-relay'

export type { Engine, EngineConfig, EngineDeps } from './engine-types'

/**
 * Builds the engine over one data folder. Throws EngineError (STORE_*, BAD_PASSPHRASE) when the
 * folder or the keyring cannot be used; nothing listens until `start()`.
 */
export async function createEngine(config: EngineConfig, deps: EngineDeps): Promise<Engine> {
  const retention = { ...DEFAULT_RETENTION, ...config.retention }
  const timeouts = { ...DEFAULT_TIMEOUTS, ...config.timeouts }
  try {
    secureDataDir(config.dataDir, deps.logger)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new EngineError('STORE_UNREADABLE', `cannot use the data folder ${config.dataDir} (${code})`)
  }
  const lock = acquireDataDirLock(config.dataDir)
  let db: SqliteDatabase | undefined
  try {
    db = openDatabase(config.dataDir, { nativeBinding: config.nativeBinding })
    return assemble(db, config, deps, retention, timeouts, lock.release)
  } catch (error) {
    db?.close()
    lock.release()
    throw error
  }
}

function assemble(
  db: SqliteDatabase,
  config: EngineConfig,
  deps: EngineDeps,
  retention: typeof DEFAULT_RETENTION,
  timeouts: typeof DEFAULT_TIMEOUTS,
  releaseLock: () => void
): Engine {
  const events = new EventHub(deps.logger)
  const storeHealth = new StoreHealth({ clock: deps.clock, logger: deps.logger, emit: (health) => events.emit({ type: 'store.health', health }) })
  const keyring = new Keyring(db, {
    clock: deps.clock,
    logger: deps.logger,
    osProtector: deps.keyProtector,
    checkKey: (scheme, material, options, keyId) => checkKeyForScheme(scheme, { material, options, keyId }),
    emit: (event) => events.emit(event)
  })
  if (deps.keyProtector) keyring.unlockWithOs()
  if (config.passphrase !== undefined) {
    const state = keyring.status().state
    if (state === 'uninitialized') keyring.setPassphrase(config.passphrase)
    else if (state === 'locked') keyring.unlock(config.passphrase)
  }
  const verifier = createDeliveryVerifier({ schemes: allSchemes, keyring: () => keyring.entries(), clock: deps.clock, logger: deps.logger })

  // Certificate private keys are sealed under the keyring's data key.
  const certificateStore = new CertificateStore(db, { clock: deps.clock, logger: deps.logger, sealer: keyring })
  const localCa = new LocalCa(certificateStore, { clock: deps.clock, logger: deps.logger })
  const issuers = new TrustedIssuers(certificateStore, localCa)
  const rejected = new RejectedConnectionsRepo(db)
  const nextId = createIdGenerator(deps.clock.now)

  const deliveries = new DeliveriesRepo(db)
  async function storeDelivery(record: DeliveryRecord): Promise<void> {
    // Verified before the commit so the verdict is stored with the delivery, in the same fsync.
    record.verdict = await verifier.verify(record)
    try {
      await writer.write(record)
    } catch (error) {
      // Logged and counted there (first failure whole, then a count per interval), not per delivery.
      storeHealth.reportWriteFailure(error)
      throw error
    }
    storeHealth.reportWriteSuccess()
  }
  const walSync = new WalSync(join(config.dataDir, `${DATABASE_FILE}-wal`))
  const writer = new DeliveryWriter(
    // NORMAL for the batch only: walSync makes it durable off the event loop before anyone is
    // answered. Every other write (keys, endpoints) keeps FULL.
    (records) => withSynchronousNormal(db, () => deliveries.insertMany(records)),
    (records) => {
      for (const record of records) {
        const { headers: _headers, body: _body, verdict, tls, ...rest } = record
        const badge = verdict && { status: verdict.status, scheme: verdict.scheme, code: verdict.code }
        events.emit({ type: 'delivery.added', delivery: { ...rest, verdict: badge, secure: tls !== null, eventType: record.eventType ?? null } })
      }
      // An eviction lost to a power cut costs nothing: it runs again after the next batch.
      const evicted = withSynchronousNormal(db, () => deliveries.evict(retention))
      if (evicted.length > 0) events.emit({ type: 'deliveries.removed', ids: evicted })
    },
    () => walSync.afterCommit()
  )
  const backfill = startEventTypeBackfill(deliveries, deps.logger)
  const endpoints = new EndpointManager({
    repo: new EndpointsRepo(db),
    clock: deps.clock,
    logger: deps.logger,
    timeouts,
    nextId,
    certificates: { localCa, issuers },
    onRejected: (endpointId, connection) => {
      const entry = { id: nextId(), endpointId, at: deps.clock.now(), ...connection }
      // Not acknowledged to anyone: no need to wait for the disk.
      withSynchronousNormal(db, () => rejected.insert(entry))
      events.emit({ type: 'connection.rejected', connection: entry })
    },
    store: storeDelivery,
    emit: (event) => events.emit(event)
  })
  const exporter = createDeliveryExporter({
    deliveries,
    version: config.version,
    clock: deps.clock,
    emit: (event) => events.emit(event),
    chooseSavePath: deps.chooseSavePath
  })
  const tunnels = new TunnelManager({
    repo: new TunnelsRepo(db),
    sealer: keyring,
    ingress: recordIngress({ endpoint: (id) => endpoints.find(id), nextId, store: storeDelivery, logger: deps.logger }),
    clock: deps.clock,
    logger: deps.logger,
    emit: (event) => events.emit(event),
    endpointBodyLimit: (id) => endpoints.find(id)?.maxBodyBytes,
    receipts: new TunnelReceiptsRepo(db)
  })
  events.subscribe((event) => {
    if (event.type === 'keys.changed' && keyring.status().state === 'unlocked') tunnels.vaultUnlocked()
    if (event.type === 'endpoint.removed') void tunnels.remove(event.id)
  })
  const relay = createRelay({
    db,
    deliveries,
    endpointExists: (id) => endpoints.list().some((endpoint) => endpoint.id === id),
    verifier,
    keyring,
    certificates: { store: certificateStore, localCa, issuers },
    events,
    clock: deps.clock,
    timers: deps.timers,
    logger: deps.logger,
    nextId,
    version: config.version
  })
  const api = createEngineApi({
    // A fresh run id per start: a browser tab from an earlier run can then be told so (api-server).
    info: { name: 'Hookscope', version: config.version, dataDir: config.dataDir, host: config.host, runId: nextId() },
    deliveries,
    endpoints,
    events,
    keyring,
    verifier,
    rejected,
    exporter,
    certificates: { store: certificateStore, localCa, issuers },
    tunnels,
    relay: relay.handlers,
    storeHealth
  })

  let stopping: Promise<void> | undefined
  return {
    invoke: api.invoke,
    subscribe: (listener) => events.subscribe(listener),
    async start() {
      relay.start()
      await endpoints.startEnabled()
      tunnels.startAll()
    },
    exportDeliveries: (format, query) => exporter.stream(format, query),
    stop() {
      stopping ??= (async () => {
        await tunnels.stopAll()
        await endpoints.closeAll()
        backfill.stop()
        await relay.stop()
        writer.close()
        storeHealth.close()
        await walSync.drain()
        walSync.close()
        keyring.lock()
        db.close()
        releaseLock()
      })()
      return stopping
    }
  }
}

function withSynchronousNormal<T>(db: SqliteDatabase, write: () => T): T {
  db.pragma('synchronous = NORMAL')
  try {
    return write()
  } finally {
    db.pragma('synchronous = FULL')
  }
}

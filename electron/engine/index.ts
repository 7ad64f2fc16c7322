import { dirname, join } from 'node:path'
import { EngineError, isEngineError } from '../../shared/errors'
import { CapturePipeline } from './capture/capture-pipeline'
import { EndpointManager } from './capture/endpoint-manager'
import { DEFAULT_IN_FLIGHT_BODY_BYTES, InFlightBudget } from './capture/in-flight-budget'
import { BodyFileStore } from './capture/writer/body-file-store'
import type { CaptureStore } from './capture/writer/capture-store'
import { WorkerStore } from './capture/writer/worker-store'
import type { WriterEvent } from './capture/writer/write-loop'
import { createEngineApi } from './engine-api'
import { DEFAULT_RETENTION, DEFAULT_TIMEOUTS, type Engine, type EngineConfig, type EngineDeps, type Logger } from './engine-types'
import { EventHub } from './event-hub'
import { createDeliveryExporter } from './export/export-deliveries'
import { createIdGenerator } from './ids'
import { Keyring } from './keyring/keyring'
import { attemptsForExport } from './relay/attempt-export'
import { createRelay } from './relay/create-relay'
import { BodyFiles } from './store/body-files'
import { acquireDataDirLock } from './store/data-dir-lock'
import { secureDataDir } from './store/data-dir-modes'
import { DeliveriesReader } from './store/deliveries-reader'
import { EndpointsRepo } from './store/endpoints-repo'
import { SCHEMA_VERSION } from './store/migrations'
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from './store/open-database'
import { RejectedConnectionsRepo } from './store/rejected-connections-repo'
import { damagedDatabase } from './store/store-damage'
import { classifyStoreError, StoreHealth } from './store/store-health'
import { StoreSettings } from './store/store-settings'
import { assertStoreWritable, readOnlyDatabase } from './store/store-writable'
import { CertificateStore } from './tls/certificate-store'
import { LocalCa } from './tls/local-ca'
import { TrustedIssuers } from './tls/trusted-issuers'
import { TunnelManager } from './tunnel/tunnel-manager'
import { TunnelsRepo } from './tunnel/tunnels-repo'
import { createDeliveryVerifier } from './verify/delivery-verifier'
import { allSchemes, checkKeyForScheme } from './verify/registry'

export type { Engine, EngineConfig, EngineDeps } from './engine-types'

/**
 * Builds the engine over one data folder. Throws EngineError (STORE_*, BAD_PASSPHRASE) when the
 * folder or the keyring cannot be used; nothing listens until `start()`. Only wiring lives here:
 * what happens to a request is the capture pipeline's (capture/capture-pipeline.ts).
 */
export async function createEngine(config: EngineConfig, deps: EngineDeps): Promise<Engine> {
  try {
    secureDataDir(config.dataDir, deps.logger)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      // Only the folder's creation can fail this way (tightening modes is best effort).
      throw new EngineError(
        'STORE_READ_ONLY',
        `cannot create the data folder ${config.dataDir}: ${dirname(config.dataDir)} ${code === 'EROFS' ? 'is on a read-only file system' : 'is read-only for this user'}. ` +
          'Create the folder writable by this user, or use another data folder'
      )
    }
    throw new EngineError('STORE_UNREADABLE', `cannot use the data folder ${config.dataDir} (${code})`)
  }
  // Before the lock: a folder or database this user cannot write is refused with nothing created.
  assertStoreWritable(config.dataDir, DATABASE_FILE)
  const lock = acquireDataDirLock(config.dataDir)
  const events = new EventHub(deps.logger)
  const storeHealth = new StoreHealth({
    clock: deps.clock,
    logger: deps.logger,
    databaseFile: join(config.dataDir, DATABASE_FILE),
    emit: (health) => events.emit({ type: 'store.health', health })
  })
  let db: SqliteDatabase | undefined
  let store: WorkerStore | undefined
  try {
    // The API's connection: it checks the pages, migrates, reads, and writes settings, keys, endpoints, certificates.
    db = openDatabase(config.dataDir, {
      nativeBinding: config.nativeBinding,
      check: { ...config.storeCheck, now: deps.clock.now, onDamage: (detail) => storeHealth.reportDamage(detail) }
    })
    const settings = new StoreSettings(db)
    if (config.durability) settings.setDurability(config.durability)
    const bodyFiles = new BodyFiles(config.dataDir)
    const deliveries = new DeliveriesReader(db, bodyFiles)
    // Before the writer starts: a file no row names was left by a crash between its write and its row's commit.
    removeOrphanBodyFiles(bodyFiles, deliveries, deps.logger)
    // The writer thread boots while the keyring is unlocked (a deliberately slow KDF) and the rest is wired.
    store = new WorkerStore(
      {
        dataDir: config.dataDir,
        nativeBinding: config.nativeBinding,
        durability: settings.durability(),
        retention: { ...DEFAULT_RETENTION, ...config.retention }
      },
      deps.logger,
      (event) => forwardWriterEvent(event, events, storeHealth)
    )
    const engine = assemble(db, store, { deliveries, bodyFiles }, settings, events, storeHealth, config, deps, lock.release)
    await store.ready
    return engine
  } catch (error) {
    await store?.close()
    db?.close()
    storeHealth.close()
    lock.release()
    throw describeStartError(error, config.dataDir)
  }
}

/** A store error met while wiring (a first write, a first read) as the STORE_* error it stands for. */
function describeStartError(error: unknown, dataDir: string): unknown {
  if (isEngineError(error)) return error
  const file = join(dataDir, DATABASE_FILE)
  const state = classifyStoreError(error)
  if (state === 'read-only') return readOnlyDatabase(file)
  if (state === 'damaged') return damagedDatabase(file, (error as Error).message, SCHEMA_VERSION)
  return error
}

function assemble(
  db: SqliteDatabase,
  store: CaptureStore,
  { deliveries, bodyFiles }: { deliveries: DeliveriesReader; bodyFiles: BodyFiles },
  settings: StoreSettings,
  events: EventHub,
  storeHealth: StoreHealth,
  config: EngineConfig,
  deps: EngineDeps,
  releaseLock: () => void
): Engine {
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
  // Capture verifies in the worker, on snapshots of the keyring sent whenever it changes. This one
  // serves what runs here on request: whole expected signatures, the relay's test sends.
  store.setKeyring(keyring.entries(), deps.clock.now())
  const verifier = createDeliveryVerifier({ schemes: allSchemes, logger: deps.logger })

  // Certificate private keys are sealed under the keyring's data key.
  const certificateStore = new CertificateStore(db, { clock: deps.clock, logger: deps.logger, sealer: keyring })
  const localCa = new LocalCa(certificateStore, { clock: deps.clock, logger: deps.logger })
  const issuers = new TrustedIssuers(certificateStore, localCa)
  const nextId = createIdGenerator(deps.clock.now)
  const captureStore = new BodyFileStore(store, { bodyFiles, keepsBodyFile: (id) => deliveries.keepsBodyFile(id) })

  const relay = createRelay({
    db,
    writer: store,
    health: storeHealth,
    deliveries,
    endpointExists: (id) => endpoints.find(id) !== undefined,
    verifier: { verify: (delivery) => verifier.verify(delivery, keyring.entries(), deps.clock.now()) },
    keyring,
    certificates: { store: certificateStore, localCa, issuers },
    events,
    clock: deps.clock,
    timers: deps.timers,
    logger: deps.logger,
    nextId,
    version: config.version
  })
  const pipeline = new CapturePipeline({
    store: captureStore,
    endpoint: (id) => endpoints.find(id),
    relay: relay.hook,
    nextId,
    emit: (event) => events.emit(event),
    clock: deps.clock,
    logger: deps.logger,
    health: storeHealth
  })
  const endpoints: EndpointManager = new EndpointManager({
    repo: new EndpointsRepo(db),
    clock: deps.clock,
    logger: deps.logger,
    timeouts: { ...DEFAULT_TIMEOUTS, ...config.timeouts },
    ingress: pipeline,
    budget: new InFlightBudget(config.maxInFlightBodyBytes ?? DEFAULT_IN_FLIGHT_BODY_BYTES),
    certificates: { localCa, issuers },
    vaultUnlocked: () => keyring.status().state === 'unlocked',
    onRejected: (endpointId, connection) => {
      const entry = { id: nextId(), endpointId, at: deps.clock.now(), ...connection }
      events.emit({ type: 'connection.rejected', connection: entry })
      return store.write('rejected.insert', entry).then(
        () => undefined,
        (error: unknown) => deps.logger.warn('could not record a refused connection', { error: (error as Error).message })
      )
    },
    emit: (event) => events.emit(event)
  })
  const tunnels = new TunnelManager({
    repo: new TunnelsRepo(db),
    sealer: keyring,
    // Tunnelled requests take the listeners' path: the same pipeline.
    ingress: pipeline,
    clock: deps.clock,
    logger: deps.logger,
    emit: (event) => events.emit(event),
    endpointBodyLimit: (id) => endpoints.find(id)?.maxBodyBytes
  })
  events.subscribe((event) => {
    if (event.type === 'keys.changed') store.setKeyring(keyring.entries(), deps.clock.now())
    endpoints.handleEngineEvent(event)
    if (event.type === 'keys.changed' && keyring.status().state === 'unlocked') tunnels.vaultUnlocked()
    if (event.type === 'endpoint.removed') void tunnels.remove(event.id)
  })
  const exporter = createDeliveryExporter({
    deliveries,
    version: config.version,
    clock: deps.clock,
    emit: (event) => events.emit(event),
    chooseSavePath: deps.chooseSavePath,
    attemptsOf: attemptsForExport(db)
  })

  const api = createEngineApi({
    // A fresh run id per start: a browser tab from an earlier run can then be told so (api-server).
    info: { name: 'Hookscope', version: config.version, dataDir: config.dataDir, host: config.host, runId: nextId() },
    clock: deps.clock,
    deliveries,
    rejected: new RejectedConnectionsRepo(db),
    store,
    settings,
    endpoints,
    events,
    keyring,
    verifier,
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
      await relay.start()
      await endpoints.startEnabled()
      tunnels.startAll()
    },
    exportDeliveries: (format, query) => exporter.stream(format, query),
    stop() {
      stopping ??= (async () => {
        await tunnels.stopAll()
        await endpoints.closeAll()
        await relay.stop()
        await store.close()
        storeHealth.close()
        keyring.lock()
        db.close()
        releaseLock()
      })()
      return stopping
    }
  }
}

function removeOrphanBodyFiles(bodyFiles: BodyFiles, deliveries: DeliveriesReader, logger: Logger): void {
  try {
    const removed = bodyFiles.removeOrphans((id) => deliveries.keepsBodyFile(id))
    if (removed > 0) logger.info('removed body files no delivery names (left by an interrupted capture)', { removed })
  } catch (error) {
    // They only take room; the next start tries again.
    logger.warn('could not look for leftover body files', { dir: bodyFiles.dir, error: (error as Error).message })
  }
}

function forwardWriterEvent(event: WriterEvent, events: EventHub, storeHealth: StoreHealth): void {
  switch (event.type) {
    case 'damaged':
      storeHealth.reportDamage(event.detail)
      break
    case 'evicted':
      events.emit({ type: 'deliveries.removed', ids: event.ids })
      break
    case 'updated':
      for (const delivery of event.summaries) events.emit({ type: 'delivery.updated', delivery })
      break
    case 'recheck':
      events.emit({ type: 'deliveries.recheck', ...event.progress })
      break
  }
}

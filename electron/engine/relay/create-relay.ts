import { parseParams } from '../../../shared/api/validate'
import type { Verdict } from '../../../shared/model/verdict'
import type { CaptureStore } from '../capture/writer/capture-store'
import type { Clock, Logger } from '../engine-types'
import type { EventHub } from '../event-hub'
import type { Keyring } from '../keyring/keyring'
import { signRequest } from '../sign'
import type { DeliveriesReader } from '../store/deliveries-reader'
import type { SqliteDatabase } from '../store/open-database'
import type { StoreHealth } from '../store/store-health'
import type { CertificateStore } from '../tls/certificate-store'
import type { LocalCa } from '../tls/local-ca'
import type { TrustedIssuers } from '../tls/trusted-issuers'
import type { VerifiableDelivery } from '../verify/delivery-verifier'
import { AttemptsRepo } from './attempts-repo'
import { providerTemplates } from './event-templates'
import { ForwardingConfigsRepo } from './forwarding-configs-repo'
import { QueuedAttemptsStore } from './queued-attempts-store'
import { Relay } from './relay'
import { relayHandlers } from './relay-handlers'
import { systemCaPems } from './system-cas'
import { systemTimers, type Timers } from './timers'

export interface CreateRelayDeps {
  db: SqliteDatabase
  /** The store's single writer: attempt rows are written there, batched with the deliveries. */
  writer: Pick<CaptureStore, 'write'>
  health: Pick<StoreHealth, 'reportWriteFailure'>
  deliveries: DeliveriesReader
  endpointExists: (endpointId: string) => boolean
  /** Checks a send against the keyring as it is now (the engine binds keyring and clock). */
  verifier: { verify(delivery: VerifiableDelivery): Promise<Verdict> }
  keyring: Pick<Keyring, 'entries'>
  certificates: { store: CertificateStore; localCa: LocalCa; issuers: TrustedIssuers }
  events: EventHub
  clock: Clock
  timers?: Timers
  logger: Logger
  nextId: () => string
  version: string
}

/** The relay over the engine's store, keyring and certificates; createEngine wires its hook and handlers. */
export function createRelay(deps: CreateRelayDeps) {
  const store = new QueuedAttemptsStore({ writer: deps.writer, reader: new AttemptsRepo(deps.db), health: deps.health, logger: deps.logger })
  const { certificates } = deps
  const relay = new Relay({
    store,
    configs: new ForwardingConfigsRepo(deps.db),
    deliveries: { get: (id) => deps.deliveries.get(id) },
    listDeliveryIds: (filter, max) => {
      const ids: string[] = []
      let cursor: string | undefined
      do {
        const page = deps.deliveries.list(parseParams('deliveries.list', { ...filter, cursor, limit: 1000 }))
        for (const item of page.items) if (ids.length < max) ids.push(item.id)
        cursor = page.nextCursor ?? undefined
      } while (cursor !== undefined && ids.length < max)
      return ids
    },
    verify: (request, endpointId) =>
      deps.verifier.verify({
        method: request.method,
        url: request.url.href,
        headers: request.headers,
        body: request.body,
        // A send belongs to no endpoint: keys bound to endpoints do not apply to it.
        endpointId: endpointId ?? '',
        receivedAt: deps.clock.now(),
        secure: false
      }),
    keys: () => deps.keyring.entries(),
    signRequest,
    templates: providerTemplates,
    tls: {
      trustedCaPems: () => {
        const ca = certificates.localCa.current()
        return [...(ca ? [ca.certPem] : []), ...certificates.issuers.list().map((issuer) => issuer.certPem)]
      },
      clientCertificate: (id) => {
        const stored = certificates.store.require(id, 'client')
        return { certPem: stored.certPem + (stored.chainPem ?? ''), keyPem: certificates.store.privateKeyPem(id), name: stored.name }
      }
    },
    systemCas: () => systemCaPems(),
    endpointExists: deps.endpointExists,
    clock: deps.clock,
    timers: deps.timers ?? systemTimers,
    logger: deps.logger,
    nextId: deps.nextId,
    emit: (event) => deps.events.emit(event),
    userAgent: `Hookscope/${deps.version}`
  })
  deps.events.subscribe((event) => relay.onEvent(event))
  return {
    relay,
    hook: relay,
    handlers: relayHandlers(relay, store),
    start: () => relay.start(),
    stop: () => relay.stop()
  }
}

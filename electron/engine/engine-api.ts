import type {
  AppInfo,
  EngineMethod,
  EngineResult,
  KeyImportResult,
  ParsedParams,
  VaultStatus
} from '../../shared/api/contract'
import { parseParams } from '../../shared/api/validate'
import { EngineError } from '../../shared/errors'
import type { Delivery } from '../../shared/model/delivery'
import type { KeyMaterial, KeySummary } from '../../shared/model/keyring'
import type { EndpointManager } from './capture/endpoint-manager'
import type { EventHub } from './event-hub'
import type { DeliveryExporter } from './export/export-deliveries'
import type { DeliveriesRepo } from './store/deliveries-repo'
import type { RejectedConnectionsRepo } from './store/rejected-connections-repo'
import type { relayHandlers } from './relay/relay-handlers'
import type { StoreHealth } from './store/store-health'
import { certificateHandlers, type CertificateHandlerDeps } from './tls/certificate-handlers'
import type { DeliveryVerifier } from './verify/delivery-verifier'
import { schemeInfos } from './verify/registry'
import type { TunnelManager } from './tunnel/tunnel-manager'

type Handlers = { [M in EngineMethod]: (params: ParsedParams<M>) => EngineResult<M> | Promise<EngineResult<M>> }

/** What the API needs of the keyring vault (electron/engine/keyring). */
export interface KeyringPort {
  status(): VaultStatus
  unlock(passphrase: string): VaultStatus
  setPassphrase(passphrase: string): VaultStatus
  list(): KeySummary[]
  create(input: ParsedParams<'keys.create'>): KeySummary
  update(id: string, patch: ParsedParams<'keys.update'>['patch']): KeySummary
  activate(id: string): KeySummary[]
  delete(id: string): KeySummary
  remove(id: string): boolean
  reveal(id: string): KeyMaterial
  importKeyring(file: unknown): KeyImportResult
  importBundle(bundle: string, passphrase: string): KeyImportResult
  exportBundle(passphrase: string): string
}

export interface EngineApiDeps {
  info: AppInfo
  deliveries: DeliveriesRepo
  endpoints: EndpointManager
  events: EventHub
  keyring: KeyringPort
  verifier: DeliveryVerifier
  rejected: RejectedConnectionsRepo
  exporter: DeliveryExporter
  certificates: Omit<CertificateHandlerDeps, 'events'>
  tunnels: TunnelManager
  /** Forwarding rules, attempts, replay and the sender (electron/engine/relay). */
  relay: ReturnType<typeof relayHandlers>
  storeHealth: Pick<StoreHealth, 'current'>
}

/**
 * The transport-free API: one handler per contract method. Adapters (IPC, HTTP) call `invoke`
 * with untrusted input; validation happens here, once, for all of them.
 */
export function createEngineApi({ info, deliveries, endpoints, events, keyring, verifier, rejected, exporter, certificates, tunnels, relay, storeHealth }: EngineApiDeps) {
  const stored = (id: string) => {
    const found = deliveries.get(id)
    if (!found) throw new EngineError('NOT_FOUND', `no delivery with id "${id}"`)
    return found
  }

  const handlers: Handlers = {
    'app.info': () => info,
    'deliveries.list': (params) => deliveries.list(params),
    'deliveries.count': (params) => deliveries.counts(params),
    'deliveries.facets': () => deliveries.facets(),
    'deliveries.export': (params) => exporter.toFile(params),
    'deliveries.get': ({ id }) => {
      const { body, ...rest } = stored(id)
      const delivery: Delivery = { ...rest, bodyBase64: body.toString('base64') }
      return delivery
    },
    'deliveries.delete': ({ id }) => {
      const deleted = deliveries.delete(id)
      if (deleted) events.emit({ type: 'deliveries.removed', ids: [id] })
      return { deleted }
    },
    'deliveries.clear': ({ endpointId }) => {
      // Refused connections are listed with the deliveries, so "clear" clears them too.
      rejected.clear(endpointId)
      const deleted = deliveries.clear(endpointId)
      events.emit({ type: 'deliveries.cleared', endpointId: endpointId ?? null })
      return { deleted }
    },
    'deliveries.verify': async ({ id }) => {
      const delivery = stored(id)
      const updated = deliveries.updateVerdict(id, delivery.endpointId, await verifier.verify(delivery))
      // Deleted while we were verifying: nothing to report on.
      if (!updated) throw new EngineError('NOT_FOUND', `no delivery with id "${id}"`)
      events.emit({ type: 'delivery.updated', delivery: updated.summary })
      return updated.verdict
    },
    'deliveries.expectedSignature': async ({ id }) => {
      // The whole value is a signature under a real key for whatever body was posted: only for
      // whoever could unlock the keyring anyway.
      if (keyring.status().state !== 'unlocked') throw new EngineError('VAULT_LOCKED', 'unlock the keyring to compute the whole expected signature')
      return { expected: await verifier.expectedSignature(stored(id)) }
    },
    'store.health': () => storeHealth.current(),
    'endpoints.list': () => endpoints.list(),
    'endpoints.create': (params) => endpoints.create(params),
    'endpoints.update': ({ id, patch }) => endpoints.update(id, patch),
    'endpoints.delete': async ({ id }) => ({ deleted: await endpoints.delete(id) }),
    'endpoints.start': ({ id }) => endpoints.start(id),
    'endpoints.stop': ({ id }) => endpoints.stop(id),
    'vault.status': () => keyring.status(),
    'vault.unlock': ({ passphrase }) => keyring.unlock(passphrase),
    'vault.setPassphrase': ({ passphrase }) => keyring.setPassphrase(passphrase),
    'keys.list': () => keyring.list(),
    'keys.create': (params) => keyring.create(params),
    'keys.update': ({ id, patch }) => keyring.update(id, patch),
    'keys.activate': ({ id }) => keyring.activate(id),
    'keys.delete': ({ id }) => keyring.delete(id),
    'keys.remove': ({ id }) => ({ removed: keyring.remove(id) }),
    'keys.reveal': ({ id }) => keyring.reveal(id),
    'keys.import': (params) =>
      'bundle' in params ? keyring.importBundle(params.bundle, params.passphrase) : keyring.importKeyring(params.keyring),
    'keys.export': ({ passphrase }) => ({ bundle: keyring.exportBundle(passphrase) }),
    'verify.schemes': () => schemeInfos(),
    'connections.rejected': (params) => rejected.list(params),
    'tunnels.list': () => tunnels.list(),
    'tunnels.set': ({ endpointId, ...patch }) => tunnels.set(endpointId, patch),
    'tunnels.remove': async ({ endpointId }) => ({ removed: await tunnels.remove(endpointId) }),
    ...certificateHandlers({ ...certificates, events }),
    ...relay
  }

  return {
    async invoke(method: string, params: unknown): Promise<unknown> {
      const parsed = parseParams(method, params)
      const handler = handlers[method as EngineMethod] as (params: unknown) => unknown
      return handler(parsed)
    }
  }
}

import type { AppInfo, EngineMethod, EngineResult, KeyImportResult, ParsedParams, VaultStatus } from '../../shared/api/contract'
import { MAX_DECODED_BODY_BYTES } from '../../shared/api/contract'
import { parseParams } from '../../shared/api/validate'
import { EngineError } from '../../shared/errors'
import { contentCodings } from '../../shared/lib/content-encoding'
import type { KeyMaterial, KeySummary } from '../../shared/model/keyring'
import { decodeContent } from './body/content-decoding'
import type { EndpointManager } from './capture/endpoint-manager'
import type { CaptureStore } from './capture/writer/capture-store'
import type { Clock } from './engine-types'
import type { EventHub } from './event-hub'
import type { DeliveryExporter } from './export/export-deliveries'
import { toWireDelivery } from './export/wire-delivery'
import type { relayHandlers } from './relay/relay-handlers'
import { signingOverview } from './sign/signing-overview'
import type { DeliveriesReader } from './store/deliveries-reader'
import type { RejectedConnectionsRepo } from './store/rejected-connections-repo'
import { isCorruption } from './store/store-damage'
import type { StoreHealth } from './store/store-health'
import type { StoreSettings } from './store/store-settings'
import { type CertificateHandlerDeps, certificateHandlers } from './tls/certificate-handlers'
import type { TunnelManager } from './tunnel/tunnel-manager'
import type { DeliveryVerifier } from './verify/delivery-verifier'
import { schemeInfos } from './verify/registry'
import type { KeyringSnapshot } from './verify/verify-delivery'

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
  /** Every key with its material (verification only). */
  entries(): KeyringSnapshot
}

export interface EngineApiDeps {
  info: AppInfo
  clock: Clock
  /** Reads, on the API's own connection. */
  deliveries: DeliveriesReader
  rejected: RejectedConnectionsRepo
  /** Every write to deliveries goes through the store's single writer (the capture worker). */
  store: Pick<CaptureStore, 'write' | 'setDurability'>
  settings: StoreSettings
  endpoints: EndpointManager
  events: EventHub
  keyring: KeyringPort
  /** Recomputes a whole expected signature on request (`deliveries.expectedSignature`); capture verifies in the worker. */
  verifier: DeliveryVerifier
  exporter: DeliveryExporter
  certificates: Omit<CertificateHandlerDeps, 'events'>
  tunnels: TunnelManager
  /** Forwarding rules, attempts, replay and the sender (electron/engine/relay). */
  relay: ReturnType<typeof relayHandlers>
  storeHealth: Pick<StoreHealth, 'current' | 'reportDamage'>
}

/**
 * The transport-free API: one handler per contract method. Adapters (IPC, HTTP) call `invoke`
 * with untrusted input; validation happens here, once, for all of them.
 */
export function createEngineApi({
  info,
  clock,
  deliveries,
  rejected,
  store,
  settings,
  endpoints,
  events,
  keyring,
  verifier,
  exporter,
  certificates,
  tunnels,
  relay,
  storeHealth
}: EngineApiDeps) {
  const notFound = (id: string) => new EngineError('NOT_FOUND', `no delivery with id "${id}"`)
  const certificateApi = certificateHandlers({ ...certificates, events })

  const handlers: Handlers = {
    'app.info': () => info,
    'deliveries.list': (params) => deliveries.list(params),
    'deliveries.count': (params) => deliveries.counts(params),
    'deliveries.facets': () => deliveries.facets(),
    'deliveries.export': (params) => exporter.toFile(params),
    'deliveries.get': ({ id }) => {
      const found = deliveries.get(id)
      if (!found) throw notFound(id)
      return toWireDelivery(found)
    },
    'deliveries.delete': async ({ id }) => {
      const deleted = await store.write('delivery.delete', { id })
      if (deleted) events.emit({ type: 'deliveries.removed', ids: [id] })
      return { deleted }
    },
    'deliveries.clear': async ({ endpointId }) => {
      const deleted = await store.write('deliveries.clear', { endpointId })
      events.emit({ type: 'deliveries.cleared', endpointId: endpointId ?? null })
      return { deleted }
    },
    'deliveries.verify': async ({ id }) => {
      // Verified in the capture worker, with the keyring as it is now; deleted meanwhile: null.
      const updated = await store.write('delivery.reverify', { id, checkedAt: clock.now() })
      if (!updated) throw notFound(id)
      events.emit({ type: 'delivery.updated', delivery: updated.summary })
      return updated.verdict
    },
    'deliveries.expectedSignature': async ({ id }) => {
      // The whole value is a signature under a real key for whatever body was posted: only for
      // whoever could unlock the keyring anyway. Computed here, on request, never stored.
      if (keyring.status().state !== 'unlocked') throw new EngineError('VAULT_LOCKED', 'unlock the keyring to compute the whole expected signature')
      const found = deliveries.get(id)
      if (!found) throw notFound(id)
      return { expected: await verifier.expectedSignature(found, keyring.entries(), clock.now()) }
    },
    'deliveries.decodedBody': async ({ id }) => {
      const found = deliveries.get(id)
      if (!found) throw notFound(id)
      const codings = contentCodings(found.headers)
      if (!codings) return { ok: false, codings: [], reason: 'the delivery has no Content-Encoding' }
      const decoded = await decodeContent(found.body, codings, MAX_DECODED_BODY_BYTES)
      if (!decoded.ok) return decoded
      const { body, ...facts } = decoded
      return { ...facts, bodyBase64: body.toString('base64') }
    },
    'settings.get': () => ({ durability: settings.durability() }),
    'settings.update': ({ durability }) => {
      if (durability !== undefined && durability !== settings.durability()) {
        settings.setDurability(durability)
        store.setDurability(durability)
      }
      const value = { durability: settings.durability() }
      events.emit({ type: 'settings.changed', settings: value })
      return value
    },
    'store.health': () => storeHealth.current(),
    'endpoints.list': () => endpoints.list(),
    'endpoints.create': (params) => endpoints.create(params),
    'endpoints.update': ({ id, patch }) => endpoints.update(id, patch),
    'endpoints.delete': async ({ id }) => ({ deleted: await endpoints.delete(id) }),
    'endpoints.start': ({ id }) => endpoints.start(id),
    'endpoints.stop': ({ id }) => endpoints.stop(id),
    'vault.status': () => keyring.status(),
    'vault.setPassphrase': ({ passphrase }) => keyring.setPassphrase(passphrase),
    'keys.list': () => keyring.list(),
    'keys.create': (params) => keyring.create(params),
    'keys.update': ({ id, patch }) => keyring.update(id, patch),
    'keys.activate': ({ id }) => keyring.activate(id),
    'keys.delete': ({ id }) => keyring.delete(id),
    'keys.remove': ({ id }) => ({ removed: keyring.remove(id) }),
    'keys.reveal': ({ id }) => keyring.reveal(id),
    'keys.import': (params) => ('bundle' in params ? keyring.importBundle(params.bundle, params.passphrase) : keyring.importKeyring(params.keyring)),
    'keys.export': ({ passphrase }) => ({ bundle: keyring.exportBundle(passphrase) }),
    'keys.signing': () => signingOverview(keyring.list(), keyring.entries()),
    'verify.schemes': () => schemeInfos(),
    'connections.rejected': (params) => rejected.list(params),
    'tunnels.list': () => tunnels.list(),
    'tunnels.set': ({ endpointId, ...patch }) => tunnels.set(endpointId, patch),
    'tunnels.remove': async ({ endpointId }) => ({ removed: await tunnels.remove(endpointId) }),
    ...relay,
    ...certificateApi,
    'certificates.regenerateCa': async (params) => {
      const ca = certificateApi['certificates.regenerateCa'](params)
      // Answered once running HTTPS endpoints present certificates from the new CA (they restart on its event).
      await endpoints.settled()
      return ca
    },
    'vault.unlock': async ({ passphrase }) => {
      const status = keyring.unlock(passphrase)
      // ...and once HTTPS endpoints that waited for the keyring have started.
      await endpoints.settled()
      return status
    }
  }

  return {
    async invoke(method: string, params: unknown): Promise<unknown> {
      const parsed = parseParams(method, params)
      const handler = handlers[method as EngineMethod] as (params: unknown) => unknown
      try {
        return await handler(parsed)
      } catch (error) {
        // A read on the API's connection that meets damaged pages: the store says so everywhere
        // (banner, listen line, capture answers), and the caller gets a code it can show.
        if (!isCorruption(error)) throw error
        const detail = error instanceof Error ? error.message : String(error)
        storeHealth.reportDamage(detail)
        throw new EngineError('STORE_DAMAGED', `the database is damaged (${detail}): ${storeHealth.current().detail}`)
      }
    }
  }
}

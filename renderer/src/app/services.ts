import type { ConnectionMonitor, EngineConnection } from '../api/connection'
import { createDiffStore, type DiffStore } from '../features/diff/diff-store'
import { type BodyFormatter, createBrowserBodyFormatter } from '../features/inspector/body-formatter'
import { createRelayServices, type RelayServices } from '../features/relay/relay-services'
import { createTunnelsStore, type TunnelsStore } from '../features/tunnel/tunnels-store'
import { type CertificatesStore, createCertificatesStore } from '../stores/certificates-store'
import { createDeliveriesStore, type DeliveriesStore } from '../stores/deliveries-store'
import { type DeliveryFilter, queryOf } from '../stores/delivery-filter'
import { createEndpointsStore, type EndpointsStore } from '../stores/endpoints-store'
import { createExportStore, type ExportStore } from '../stores/export-store'
import { createKeysStore, type KeysStore } from '../stores/keys-store'
import { createNavigationStore, type NavigationStore } from '../stores/navigation-store'
import { createRejectedStore, type RejectedStore } from '../stores/rejected-store'
import { createSettingsStore, type SettingsStore } from '../stores/settings-store'
import { createStoreHealthStore, type StoreHealthStore } from '../stores/store-health-store'

/** Everything the components need, created once at startup and handed down through context. */
export interface AppServices {
  deliveries: DeliveriesStore
  endpoints: EndpointsStore
  keys: KeysStore
  certificates: CertificatesStore
  /** Refused TLS connections, listed among the deliveries. */
  rejected: RejectedStore
  /** The data folder's settings (durability). */
  settings: SettingsStore
  navigation: NavigationStore
  /** The comparison of two deliveries (the Compare page). */
  diff: DiffStore
  connection: ConnectionMonitor
  /** Tunnels (public URLs) per endpoint. */
  tunnels: TunnelsStore
  /** The store's health (disk full, damaged...), for the banner. */
  storeHealth: StoreHealthStore
  /** Formats big bodies in a Web Worker for the body views. */
  bodyFormatter: BodyFormatter
  /** Export of the list's current filter, with progress. */
  exports: ExportStore
  /** Forwarding rules, attempts, replay and the sender. */
  relay: RelayServices
}

export interface ServicesOptions {
  /** From the page address: a shared link opens on its filter and delivery. */
  initialFilter?: DeliveryFilter
  initialSelectedId?: string | null
}

/** Builds the stores on a connection, feeds them the event stream and starts the first loads. */
export function startServices({ client, connection, exporter, resetsWhenLive }: EngineConnection, options: ServicesOptions = {}): AppServices {
  const deliveries = createDeliveriesStore(client, { initialFilter: options.initialFilter, initialSelectedId: options.initialSelectedId })
  const endpoints = createEndpointsStore(client)
  const keys = createKeysStore(client)
  const certificates = createCertificatesStore(client)
  const rejected = createRejectedStore(client)
  const tunnels = createTunnelsStore(client)
  const storeHealth = createStoreHealthStore(client)
  const settings = createSettingsStore(client)
  const relay = createRelayServices(client)
  linkSelections(deliveries, rejected)
  // Subscribe before loading, so nothing captured during the first fetch is missed.
  client.subscribe((event) => {
    deliveries.getState().handleEvent(event)
    rejected.getState().handleEvent(event)
    endpoints.getState().handleEvent(event)
    keys.getState().handleEvent(event)
    certificates.getState().handleEvent(event)
    tunnels.getState().handleEvent(event)
    storeHealth.getState().handleEvent(event)
    settings.getState().handleEvent(event)
    relay.handleEvent(event)
  })
  // Over the WebSocket, the stream's first `stream.reset` (once it is open) loads everything: loading
  // here as well made every startup call twice. IPC has no such moment: load now.
  if (!resetsWhenLive) {
    void deliveries.getState().reload()
    void rejected.getState().load()
    void endpoints.getState().load()
    // Loaded up front too: the inspector names the key and scheme a verdict used, and the
    // endpoint TLS form lists the trusted issuers.
    void keys.getState().load()
    void certificates.getState().load()
    void tunnels.getState().load()
    void storeHealth.getState().load()
    void settings.getState().load()
    // A shared link's delivery opens even when it is not on the first page.
    if (options.initialSelectedId) deliveries.getState().select(options.initialSelectedId)
  }
  const exports = createExportStore(exporter, () => queryOf(deliveries.getState().filter))
  return {
    deliveries,
    endpoints,
    keys,
    certificates,
    rejected,
    settings,
    navigation: createNavigationStore(),
    connection,
    tunnels,
    storeHealth,
    bodyFormatter: createBrowserBodyFormatter(),
    exports,
    diff: createDiffStore(client),
    relay
  }
}

/**
 * The list shows deliveries and refused connections together, with one selection: choosing one
 * kind (from the list, the keyboard or a link) clears the other.
 */
export function linkSelections(deliveries: DeliveriesStore, rejected: RejectedStore): void {
  deliveries.subscribe((state, previous) => {
    if (state.selectedId !== null && state.selectedId !== previous.selectedId) rejected.getState().select(null)
  })
  rejected.subscribe((state, previous) => {
    if (state.selected !== null && state.selected !== previous.selected) deliveries.getState().select(null)
  })
}

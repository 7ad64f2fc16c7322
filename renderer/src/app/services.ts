import type { ConnectionMonitor, EngineConnection } from '../api/connection'
import { createDeliveriesStore, type DeliveriesStore } from '../stores/deliveries-store'
import { createEndpointsStore, type EndpointsStore } from '../stores/endpoints-store'
import { createKeysStore, type KeysStore } from '../stores/keys-store'
import { createNavigationStore, type NavigationStore } from '../stores/navigation-store'

/** Everything the components need, created once at startup and handed down through context. */
export interface AppServices {
  deliveries: DeliveriesStore
  endpoints: EndpointsStore
  keys: KeysStore
  navigation: NavigationStore
  connection: ConnectionMonitor
}

/** Builds the stores on a connection, feeds them the event stream and starts the first loads. */
export function startServices({ client, connection }: EngineConnection): AppServices {
  const deliveries = createDeliveriesStore(client)
  const endpoints = createEndpointsStore(client)
  const keys = createKeysStore(client)
  // Subscribe before loading, so nothing captured during the first fetch is missed.
  client.subscribe((event) => {
    deliveries.getState().handleEvent(event)
    endpoints.getState().handleEvent(event)
    keys.getState().handleEvent(event)
  })
  void deliveries.getState().reload()
  void endpoints.getState().load()
  // Loaded up front too: the inspector names the key and scheme a verdict used.
  void keys.getState().load()
  return { deliveries, endpoints, keys, navigation: createNavigationStore(), connection }
}

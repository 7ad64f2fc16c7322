import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react'
import { useStore } from 'zustand'
import type { ConnectionStatus } from '../api/connection'
import type { DiffState } from '../features/diff/diff-store'
import type { BodyFormatter } from '../features/inspector/body-formatter'
import type { TunnelsState } from '../features/tunnel/tunnels-store'
import type { CertificatesState } from '../stores/certificates-store'
import type { DeliveriesState } from '../stores/deliveries-store'
import type { EndpointsState } from '../stores/endpoints-store'
import type { ExportState } from '../stores/export-store'
import type { KeysState } from '../stores/keys-store'
import type { NavigationState } from '../stores/navigation-store'
import type { RejectedState } from '../stores/rejected-store'
import type { SettingsState } from '../stores/settings-store'
import type { StoreHealthState } from '../stores/store-health-store'
import type { AppServices } from './services'

const ServicesContext = createContext<AppServices | null>(null)

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>
}

/** For feature folders that keep their own hooks (features/relay/relay-hooks.ts). */
export function useServices(): AppServices {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('ServicesProvider is missing')
  return services
}

/** Selectors must return stable values (a field, not a fresh object), or React re-renders forever. */
export function useDeliveries<T>(selector: (state: DeliveriesState) => T): T {
  return useStore(useServices().deliveries, selector)
}

export function useEndpoints<T>(selector: (state: EndpointsState) => T): T {
  return useStore(useServices().endpoints, selector)
}

export function useKeys<T>(selector: (state: KeysState) => T): T {
  return useStore(useServices().keys, selector)
}

export function useCertificates<T>(selector: (state: CertificatesState) => T): T {
  return useStore(useServices().certificates, selector)
}

export function useRejected<T>(selector: (state: RejectedState) => T): T {
  return useStore(useServices().rejected, selector)
}

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(useServices().settings, selector)
}

export function useExports<T>(selector: (state: ExportState) => T): T {
  return useStore(useServices().exports, selector)
}

export function useDiff<T>(selector: (state: DiffState) => T): T {
  return useStore(useServices().diff, selector)
}

export function useNavigation<T>(selector: (state: NavigationState) => T): T {
  return useStore(useServices().navigation, selector)
}

export function useTunnels<T>(selector: (state: TunnelsState) => T): T {
  return useStore(useServices().tunnels, selector)
}

export function useStoreHealth<T>(selector: (state: StoreHealthState) => T): T {
  return useStore(useServices().storeHealth, selector)
}

export function useConnectionStatus(): ConnectionStatus {
  const { connection } = useServices()
  return useSyncExternalStore(
    (listener) => connection.onChange(listener),
    () => connection.getStatus()
  )
}

export function useBodyFormatter(): BodyFormatter {
  return useServices().bodyFormatter
}

import { type StoreApi, useStore } from 'zustand'
import { useServices } from '../../app/services-context'
import type { RelayServices } from './relay-services'

type StoreState<S> = S extends StoreApi<infer T> ? T : never
type StoreName = Exclude<keyof RelayServices, 'handleEvent'>

/** A relay store's slice; selectors must return stable values (a field, not a fresh object). */
export function useRelay<K extends StoreName, T>(store: K, selector: (state: StoreState<RelayServices[K]>) => T): T {
  const api = useServices().relay[store] as unknown as StoreApi<StoreState<RelayServices[K]>>
  return useStore<StoreApi<StoreState<RelayServices[K]>>, T>(api, selector)
}

/** The store itself, for actions outside render (effects, handlers that read the latest state). */
export function useRelayStore<K extends StoreName>(store: K): RelayServices[K] {
  return useServices().relay[store]
}

import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent } from '../../../shared/api/contract'
import type { StoreHealthStatus } from '../../../shared/model/store-health'

/** The store's health for the banner: loaded once, then kept current by `store.health` events. */
export interface StoreHealthState {
  health: StoreHealthStatus | null
  load(): Promise<void>
  handleEvent(event: EngineEvent): void
}

export type StoreHealthStore = StoreApi<StoreHealthState>

export function createStoreHealthStore(client: EngineClient): StoreHealthStore {
  return createStore<StoreHealthState>()((set) => ({
    health: null,
    async load() {
      try {
        set({ health: await client.invoke('store.health', {}) })
      } catch {
        // An engine without the method, or a dropped connection: the banner stays hidden.
      }
    },
    handleEvent(event) {
      if (event.type === 'store.health') set({ health: event.health })
      // After a reconnect the health may have changed while we were away.
      else if (event.type === 'stream.reset') void this.load()
    }
  }))
}

import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent, StoreSettingsView } from '../../../shared/api/contract'
import type { Durability } from '../../../shared/model/durability'
import { attempt, type Outcome } from './outcome'

export interface SettingsState {
  /** null until loaded. */
  settings: StoreSettingsView | null
  saving: boolean
  load(): Promise<void>
  setDurability(durability: Durability): Promise<Outcome<StoreSettingsView>>
  handleEvent(event: EngineEvent): void
}

export type SettingsStore = StoreApi<SettingsState>

/** The data folder's settings (durability level), kept in step with the engine's events. */
export function createSettingsStore(client: EngineClient): SettingsStore {
  return createStore<SettingsState>()((set, get) => ({
    settings: null,
    saving: false,

    async load() {
      const outcome = await attempt(() => client.invoke('settings.get', {}))
      if (outcome.ok) set({ settings: outcome.value })
    },

    async setDurability(durability) {
      set({ saving: true })
      const outcome = await attempt(() => client.invoke('settings.update', { durability }))
      set({ saving: false, ...(outcome.ok ? { settings: outcome.value } : {}) })
      return outcome
    },

    handleEvent(event) {
      if (event.type === 'settings.changed') set({ settings: event.settings })
      else if (event.type === 'stream.reset') void get().load()
    }
  }))
}

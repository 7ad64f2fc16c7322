import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent, EngineParams } from '../../../../shared/api/contract'
import type { TunnelView } from '../../../../shared/model/tunnel'
import { attempt, type Outcome } from '../../stores/outcome'

export type TunnelPatch = Omit<EngineParams<'tunnels.set'>, 'endpointId'>

export interface TunnelsState {
  /** By endpoint id. */
  tunnels: Readonly<Record<string, TunnelView>>
  load(): Promise<void>
  /** Connects (or reconfigures) the endpoint's tunnel; the engine's sentence on failure. */
  set(endpointId: string, patch: TunnelPatch): Promise<Outcome<TunnelView>>
  remove(endpointId: string): Promise<Outcome<unknown>>
  handleEvent(event: EngineEvent): void
}

export type TunnelsStore = StoreApi<TunnelsState>

/** Tunnels per endpoint, kept current by `tunnel.changed` / `tunnel.removed` events. */
export function createTunnelsStore(client: EngineClient): TunnelsStore {
  return createStore<TunnelsState>()((set, get) => {
    const put = (view: TunnelView) => set({ tunnels: { ...get().tunnels, [view.config.endpointId]: view } })
    const drop = (endpointId: string) => {
      const tunnels = { ...get().tunnels }
      delete tunnels[endpointId]
      set({ tunnels })
    }
    return {
      tunnels: {},
      async load() {
        const outcome = await attempt(() => client.invoke('tunnels.list', {}))
        if (outcome.ok) set({ tunnels: Object.fromEntries(outcome.value.map((view) => [view.config.endpointId, view])) })
      },
      async set(endpointId, patch) {
        const outcome = await attempt(() => client.invoke('tunnels.set', { endpointId, ...patch }))
        if (outcome.ok) put(outcome.value)
        return outcome
      },
      async remove(endpointId) {
        const outcome = await attempt(() => client.invoke('tunnels.remove', { endpointId }))
        if (outcome.ok) drop(endpointId)
        return outcome
      },
      handleEvent(event) {
        if (event.type === 'tunnel.changed') put(event.tunnel)
        else if (event.type === 'tunnel.removed' || (event.type === 'endpoint.removed' && get().tunnels[event.id])) {
          drop(event.type === 'tunnel.removed' ? event.endpointId : event.id)
        } else if (event.type === 'stream.reset') void get().load()
      }
    }
  })
}

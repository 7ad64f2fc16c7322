import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent } from '../../../../shared/api/contract'
import type { FallbackResponse, ForwardingConfig } from '../../../../shared/model/relay'
import { describeError } from '../../api/describe-error'
import type { LoadStatus } from '../../stores/deliveries-store'
import { attempt, type Outcome } from '../../stores/outcome'
import type { RuleInput } from './rule-draft'

export interface EndpointForwarding {
  status: LoadStatus
  config: ForwardingConfig | null
  error: string | null
}

export interface ForwardingState {
  byEndpoint: Readonly<Record<string, EndpointForwarding>>
  /** The endpoint the Forwarding page edits (an endpoint's "Forwarding…" link sets it). */
  editing: string | null
  edit(endpointId: string | null): void
  load(endpointId: string): Promise<void>
  /** Replaces the endpoint's rules (first match wins) and fallback; the answer carries the engine's warnings. */
  save(endpointId: string, rules: RuleInput[], fallback?: FallbackResponse): Promise<Outcome<ForwardingConfig>>
  handleEvent(event: EngineEvent): void
}

export type ForwardingStore = StoreApi<ForwardingState>

/** Forwarding rules per endpoint, loaded on demand and kept in step with `forwarding.changed`. */
export function createForwardingStore(client: EngineClient): ForwardingStore {
  const generations = new Map<string, number>()
  return createStore<ForwardingState>()((set, get) => {
    const put = (endpointId: string, entry: EndpointForwarding) => set({ byEndpoint: { ...get().byEndpoint, [endpointId]: entry } })
    return {
      byEndpoint: {},
      editing: null,
      edit: (endpointId) => set({ editing: endpointId }),
      load: async (endpointId) => {
        const generation = (generations.get(endpointId) ?? 0) + 1
        generations.set(endpointId, generation)
        put(endpointId, { status: 'loading', config: get().byEndpoint[endpointId]?.config ?? null, error: null })
        try {
          const config = await client.invoke('forwarding.get', { endpointId })
          if (generations.get(endpointId) === generation) put(endpointId, { status: 'ready', config, error: null })
        } catch (error) {
          if (generations.get(endpointId) === generation)
            put(endpointId, { status: 'error', config: get().byEndpoint[endpointId]?.config ?? null, error: describeError(error) })
        }
      },
      save: async (endpointId, rules, fallback) => {
        const outcome = await attempt(() => client.invoke('forwarding.set', { endpointId, rules, ...(fallback ? { fallback } : {}) }))
        if (outcome.ok) {
          // Newer than any load still in flight.
          generations.set(endpointId, (generations.get(endpointId) ?? 0) + 1)
          put(endpointId, { status: 'ready', config: outcome.value, error: null })
        }
        return outcome
      },
      handleEvent: (event) => {
        if (event.type === 'forwarding.changed') {
          generations.set(event.config.endpointId, (generations.get(event.config.endpointId) ?? 0) + 1)
          put(event.config.endpointId, { status: 'ready', config: event.config, error: null })
        } else if (event.type === 'endpoint.removed') {
          const byEndpoint = { ...get().byEndpoint }
          delete byEndpoint[event.id]
          set({ byEndpoint, editing: get().editing === event.id ? null : get().editing })
        } else if (event.type === 'stream.reset') {
          for (const endpointId of Object.keys(get().byEndpoint)) void get().load(endpointId)
        }
      }
    }
  })
}

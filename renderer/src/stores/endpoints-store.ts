import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent, EngineParams } from '../../../shared/api/contract'
import type { Endpoint } from '../../../shared/model/endpoint'
import type { EndpointTlsConfig } from '../../../shared/model/tls'
import { describeError } from '../api/describe-error'
import type { LoadStatus } from './deliveries-store'
import { attempt, type Outcome } from './outcome'

export interface NewEndpoint {
  name: string
  /** Omitted: the engine picks any free port. */
  port?: number
  /** Omitted: plain http. Fields left out take the engine's defaults. */
  tls?: Partial<EndpointTlsConfig>
}

export type EndpointPatch = EngineParams<'endpoints.update'>['patch']

export interface EndpointsState {
  endpoints: readonly Endpoint[]
  loadStatus: LoadStatus
  loadError: string | null
  /** The last failed action (create, start, stop, delete), shown until dismissed or replaced. */
  actionError: string | null
  /** Endpoints with an action in flight, so their buttons can be disabled. */
  busyIds: Readonly<Record<string, true>>
  creating: boolean

  load(): Promise<void>
  /** Resolves true when created, so the form knows whether to clear itself. */
  create(input: NewEndpoint): Promise<boolean>
  start(id: string): Promise<void>
  stop(id: string): Promise<void>
  remove(id: string): Promise<void>
  /** Changes settings (TLS, say); a changed listener restarts. The error goes to the form that asked. */
  update(id: string, patch: EndpointPatch): Promise<Outcome<Endpoint>>
  dismissActionError(): void
  handleEvent(event: EngineEvent): void
}

export type EndpointsStore = StoreApi<EndpointsState>

export function createEndpointsStore(client: EngineClient): EndpointsStore {
  let generation = 0

  return createStore<EndpointsState>()((set, get) => {
    const upsert = (endpoint: Endpoint): void => {
      const { endpoints } = get()
      const index = endpoints.findIndex((item) => item.id === endpoint.id)
      set({ endpoints: index < 0 ? [...endpoints, endpoint] : endpoints.with(index, endpoint) })
    }

    const drop = (id: string): void => {
      set({ endpoints: get().endpoints.filter((item) => item.id !== id) })
    }

    const withBusy = async (id: string, action: () => Promise<void>): Promise<void> => {
      set({ busyIds: { ...get().busyIds, [id]: true }, actionError: null })
      try {
        await action()
      } catch (error) {
        set({ actionError: describeError(error) })
      } finally {
        const busyIds = { ...get().busyIds }
        delete busyIds[id]
        set({ busyIds })
      }
    }

    return {
      endpoints: [],
      loadStatus: 'idle',
      loadError: null,
      actionError: null,
      busyIds: {},
      creating: false,

      async load() {
        const gen = ++generation
        set({ loadStatus: 'loading', loadError: null })
        try {
          const endpoints = await client.invoke('endpoints.list', {})
          if (gen === generation) set({ endpoints, loadStatus: 'ready' })
        } catch (error) {
          if (gen === generation) set({ loadStatus: 'error', loadError: describeError(error) })
        }
      },

      async create(input) {
        set({ creating: true, actionError: null })
        try {
          const params: EngineParams<'endpoints.create'> = { name: input.name }
          if (input.port !== undefined) params.port = input.port
          if (input.tls !== undefined) params.tls = input.tls
          upsert(await client.invoke('endpoints.create', params))
          return true
        } catch (error) {
          set({ actionError: describeError(error) })
          return false
        } finally {
          set({ creating: false })
        }
      },

      start: (id) => withBusy(id, async () => upsert(await client.invoke('endpoints.start', { id }))),
      stop: (id) => withBusy(id, async () => upsert(await client.invoke('endpoints.stop', { id }))),
      remove: (id) =>
        withBusy(id, async () => {
          await client.invoke('endpoints.delete', { id })
          drop(id)
        }),

      async update(id, patch) {
        set({ busyIds: { ...get().busyIds, [id]: true } })
        const outcome = await attempt(() => client.invoke('endpoints.update', { id, patch }))
        if (outcome.ok) upsert(outcome.value)
        const busyIds = { ...get().busyIds }
        delete busyIds[id]
        set({ busyIds })
        return outcome
      },

      dismissActionError() {
        set({ actionError: null })
      },

      handleEvent(event) {
        if (event.type === 'endpoint.changed') upsert(event.endpoint)
        else if (event.type === 'endpoint.removed') drop(event.id)
        else if (event.type === 'stream.reset') void get().load()
      }
    }
  })
}

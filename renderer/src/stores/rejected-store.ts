import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent } from '../../../shared/api/contract'
import type { RejectedConnection } from '../../../shared/model/delivery'
import { describeError } from '../api/describe-error'
import type { LoadStatus } from './deliveries-store'

export interface RejectedState {
  /**
   * The newest refused TLS connections, newest first, unique by id, at most `maxItems`. Kept apart
   * from the deliveries (a few hundred at most, against up to 100,000 rows); the list merges the
   * two at render time.
   */
  items: readonly RejectedConnection[]
  loadStatus: LoadStatus
  loadError: string | null
  /** The one open in the inspector. Held whole: a burst of newer refusals must not pull it away. */
  selected: RejectedConnection | null

  load(): Promise<void>
  select(id: string | null): void
  handleEvent(event: EngineEvent): void
  dispose(): void
}

export interface RejectedStoreOptions {
  maxItems?: number
  /** A sender retrying a refused handshake in a loop: one state update per batch, not per connection. */
  liveFlushMs?: number
  now?: () => number
}

export type RejectedStore = StoreApi<RejectedState>

export const MAX_REJECTED_SHOWN = 200

export function createRejectedStore(client: EngineClient, options: RejectedStoreOptions = {}): RejectedStore {
  const maxItems = options.maxItems ?? MAX_REJECTED_SHOWN
  const liveFlushMs = options.liveFlushMs ?? 50
  const now = options.now ?? Date.now
  let generation = 0
  let pending: RejectedConnection[] = []
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  /**
   * The engine keeps refused connections when deliveries are cleared (it has no call to clear
   * them): "Clear all" hides the ones up to that moment here, for this session.
   */
  let hiddenUpTo = -Infinity
  const hiddenUpToByEndpoint = new Map<string, number>()

  const visible = (item: RejectedConnection): boolean => item.at > hiddenUpTo && item.at > (hiddenUpToByEndpoint.get(item.endpointId) ?? -Infinity)

  return createStore<RejectedState>()((set, get) => {
    /** Union by id, newest first, capped. Inputs are small (the cap plus one batch). */
    const merge = (incoming: readonly RejectedConnection[]): void => {
      const byId = new Map<string, RejectedConnection>()
      for (const item of [...incoming, ...get().items]) if (!byId.has(item.id) && visible(item)) byId.set(item.id, item)
      const items = [...byId.values()].sort((a, b) => b.at - a.at).slice(0, maxItems)
      set({ items })
    }

    const flush = (): void => {
      if (flushTimer !== null) clearTimeout(flushTimer)
      flushTimer = null
      if (pending.length === 0) return
      const batch = pending
      pending = []
      merge(batch)
    }

    const hide = (endpointId: string | null): void => {
      const { items, selected } = get()
      const mark = Math.max(now(), ...items.filter((item) => endpointId === null || item.endpointId === endpointId).map((item) => item.at))
      if (endpointId === null) hiddenUpTo = mark
      else hiddenUpToByEndpoint.set(endpointId, mark)
      pending = pending.filter(visible)
      set({ items: items.filter(visible), selected: selected && !visible(selected) ? null : selected })
    }

    return {
      items: [],
      loadStatus: 'idle',
      loadError: null,
      selected: null,

      async load() {
        const gen = ++generation
        set({ loadStatus: 'loading', loadError: null })
        try {
          const answer = await client.invoke('connections.rejected', { limit: maxItems })
          if (gen !== generation) return
          // Live ones that arrived meanwhile are in `items` or `pending`: the union keeps them.
          flush()
          merge(answer)
          set({ loadStatus: 'ready' })
        } catch (error) {
          if (gen === generation) set({ loadStatus: 'error', loadError: describeError(error) })
        }
      },

      select(id) {
        if (id === null) {
          if (get().selected !== null) set({ selected: null })
          return
        }
        flush()
        const found = get().items.find((item) => item.id === id) ?? null
        set({ selected: found })
      },

      handleEvent(event) {
        switch (event.type) {
          case 'connection.rejected':
            if (!visible(event.connection)) break
            pending.push(event.connection)
            flushTimer ??= setTimeout(flush, liveFlushMs)
            break
          case 'deliveries.cleared':
            hide(event.endpointId)
            break
          case 'stream.reset':
            void get().load()
            break
          default:
            break
        }
      },

      dispose() {
        if (flushTimer !== null) clearTimeout(flushTimer)
        flushTimer = null
        generation++
      }
    }
  })
}

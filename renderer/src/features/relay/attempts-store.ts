import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent } from '../../../../shared/api/contract'
import type { Attempt, AttemptState, AttemptSummary } from '../../../../shared/model/relay'
import { describeError } from '../../api/describe-error'
import type { LoadStatus } from '../../stores/deliveries-store'

/** One delivery's attempts (relay tries and replays), as the Relay tab shows them. */
export interface DeliveryAttempts {
  status: LoadStatus
  items: readonly AttemptSummary[]
  error: string | null
}

export type AttemptDetail = { status: 'loading' } | { status: 'ready'; attempt: Attempt } | { status: 'error'; error: string }

export interface AttemptsState {
  byDelivery: Readonly<Record<string, DeliveryAttempts>>
  /** Whole attempts (request as sent, response), fetched when opened; dropped when the attempt changes. */
  details: Readonly<Record<string, AttemptDetail>>
  /** Deliveries with a retry-now or cancel in flight. */
  busy: Readonly<Record<string, true>>
  actionError: string | null
  load(deliveryId: string): Promise<void>
  loadDetail(attemptId: string): Promise<void>
  retryNow(deliveryId: string): Promise<void>
  cancel(deliveryId: string): Promise<void>
  dismissActionError(): void
  handleEvent(event: EngineEvent): void
}

export type AttemptsStore = StoreApi<AttemptsState>

const PAGE = 200

/** An attempt's state only moves forward: scheduled, in flight, then its outcome. */
const PROGRESS: Record<AttemptState, number> = { scheduled: 0, 'in-flight': 1, succeeded: 2, failed: 2, interrupted: 2, cancelled: 2 }

/**
 * `incoming`, unless what is shown has got further: an answer (retry now's, a list's) is read
 * before the events of what followed it and may arrive after them.
 */
function latest(shown: AttemptSummary | undefined, incoming: AttemptSummary): AttemptSummary {
  return shown && PROGRESS[shown.state] > PROGRESS[incoming.state] ? shown : incoming
}

/**
 * Attempts per delivery, kept live: `attempt.added` / `attempt.updated` events update the lists
 * that are loaded (others load when their tab opens), so a retry's countdown, its answer and a
 * replay started elsewhere (the CLI, a bulk replay) show up without reloading.
 */
export function createAttemptsStore(client: EngineClient): AttemptsStore {
  /** Per delivery: bumped by every load, so an older answer cannot overwrite a newer one. */
  const generations = new Map<string, number>()

  return createStore<AttemptsState>()((set, get) => {
    const upsert = (attempt: AttemptSummary): void => {
      const deliveryId = attempt.deliveryId
      if (deliveryId === null) return
      const current = get().byDelivery[deliveryId]
      // Not opened yet: the tab loads the whole list when it opens. While it loads, events are kept
      // on the list shown: the load's answer may be older than they are.
      if (current?.status !== 'ready' && current?.status !== 'loading') return
      const index = current.items.findIndex((item) => item.id === attempt.id)
      const items = index < 0 ? [attempt, ...current.items] : current.items.with(index, latest(current.items[index], attempt))
      set({ byDelivery: { ...get().byDelivery, [deliveryId]: { ...current, items } } })
    }

    const forget = (attemptId: string): void => {
      if (!(attemptId in get().details)) return
      const details = { ...get().details }
      delete details[attemptId]
      set({ details })
    }

    const withBusy = async (deliveryId: string, action: () => Promise<void>): Promise<void> => {
      set({ busy: { ...get().busy, [deliveryId]: true }, actionError: null })
      try {
        await action()
      } catch (error) {
        set({ actionError: describeError(error) })
      } finally {
        const busy = { ...get().busy }
        delete busy[deliveryId]
        set({ busy })
      }
    }

    return {
      byDelivery: {},
      details: {},
      busy: {},
      actionError: null,

      load: async (deliveryId) => {
        const generation = (generations.get(deliveryId) ?? 0) + 1
        generations.set(deliveryId, generation)
        const previous = get().byDelivery[deliveryId]
        const before = new Set(previous?.items.map((item) => item.id))
        set({ byDelivery: { ...get().byDelivery, [deliveryId]: { status: 'loading', items: previous?.items ?? [], error: null } } })
        try {
          const page = await client.invoke('attempts.list', { deliveryId, limit: PAGE })
          if (generations.get(deliveryId) !== generation) return
          const shown = get().byDelivery[deliveryId]?.items ?? []
          const listed = new Set(page.items.map((item) => item.id))
          const byId = new Map(shown.map((item) => [item.id, item]))
          // Attempts an event added during the load and the list did not have yet stay on top.
          const arrived = shown.filter((item) => !listed.has(item.id) && !before.has(item.id))
          const items = [...arrived, ...page.items.map((item) => latest(byId.get(item.id), item))]
          set({ byDelivery: { ...get().byDelivery, [deliveryId]: { status: 'ready', items, error: null } } })
        } catch (error) {
          if (generations.get(deliveryId) !== generation) return
          set({ byDelivery: { ...get().byDelivery, [deliveryId]: { status: 'error', items: previous?.items ?? [], error: describeError(error) } } })
        }
      },

      loadDetail: async (attemptId) => {
        set({ details: { ...get().details, [attemptId]: { status: 'loading' } } })
        try {
          const attempt = await client.invoke('attempts.get', { id: attemptId })
          // Forgotten meanwhile (the attempt changed): the next open fetches the newer one.
          if (get().details[attemptId]?.status !== 'loading') return
          set({ details: { ...get().details, [attemptId]: { status: 'ready', attempt } } })
        } catch (error) {
          set({ details: { ...get().details, [attemptId]: { status: 'error', error: describeError(error) } } })
        }
      },

      retryNow: (deliveryId) =>
        withBusy(deliveryId, async () => {
          upsert(await client.invoke('attempts.retryNow', { deliveryId }))
        }),

      cancel: (deliveryId) =>
        withBusy(deliveryId, async () => {
          await client.invoke('attempts.cancel', { deliveryId })
        }),

      dismissActionError: () => set({ actionError: null }),

      handleEvent: (event) => {
        switch (event.type) {
          case 'attempt.added':
            upsert(event.attempt)
            break
          case 'attempt.updated':
            upsert(event.attempt)
            forget(event.attempt.id)
            break
          case 'deliveries.removed': {
            const byDelivery = { ...get().byDelivery }
            for (const id of event.ids) delete byDelivery[id]
            set({ byDelivery })
            break
          }
          case 'deliveries.cleared':
            set({ byDelivery: {}, details: {} })
            break
          case 'stream.reset':
            // Events may have been missed: reload what is on screen.
            for (const [deliveryId, list] of Object.entries(get().byDelivery)) if (list.status === 'ready') void get().load(deliveryId)
            break
        }
      }
    }
  })
}

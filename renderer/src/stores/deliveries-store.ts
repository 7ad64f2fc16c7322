import { createStore, type StoreApi } from 'zustand/vanilla'
import type { DecodedBody, DeliveryFacets, EngineClient, EngineEvent } from '../../../shared/api/contract'
import { isEngineError } from '../../../shared/errors'
import type { Delivery, DeliverySummary } from '../../../shared/model/delivery'
import { type Verdict, verdictBadge } from '../../../shared/model/verdict'
import { describeError } from '../api/describe-error'
import { type DeliveryFilter, isFilterActive, listParams, matchesFilter, NO_FILTER, queryOf } from './delivery-filter'
import { attempt, type Outcome } from './outcome'

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error'

export type DetailState = { status: 'loading' } | { status: 'ready'; delivery: Delivery } | { status: 'error'; message: string; gone: boolean }

export interface DeliveriesState {
  /** Newest first, unique by id. A summary only changes when its verdict is recomputed (`delivery.updated`). */
  rows: readonly DeliverySummary[]
  /** Cursor for the next older page; null once the end was reached. */
  nextCursor: string | null
  listStatus: LoadStatus
  /** True once any list load succeeded: tells "nothing captured yet" from "not loaded yet". */
  everLoaded: boolean
  listError: string | null
  loadingMore: boolean
  filter: DeliveryFilter
  /** Every stored delivery (null until the first page arrived). */
  total: number | null
  /** How many the filter matches: equals `total` without a filter; null while it is being counted. */
  matched: number | null
  /** The engine stopped counting free-text matches at its cap: "10,000+". */
  matchedCapped: boolean
  /** Live deliveries are held back (not shown) while paused; `held` counts those that match. */
  paused: boolean
  held: number
  selectedId: string | null
  /** Full deliveries fetched on demand, a small cache keyed by id (bodies can be large). */
  details: Readonly<Record<string, DetailState>>
  /** The last failed user action (delete, clear), shown until dismissed. */
  actionError: string | null
  /** Values present in the store for the filter menus; loaded when the menus open. */
  facets: DeliveryFacets | null

  reload(): Promise<void>
  loadMore(): Promise<void>
  setQuery(q: string): void
  setEndpointFilter(endpointId: string | null): void
  setMethodFilter(method: string | null): void
  /** Changes some structured filters (not the free text) and reloads. */
  setFilter(patch: Partial<Omit<DeliveryFilter, 'q'>>): void
  /** Replaces the whole filter (a link was opened) and reloads when it differs. */
  applyFilter(filter: DeliveryFilter): void
  clearFilters(): void
  setPaused(paused: boolean): void
  loadFacets(): Promise<void>
  select(id: string | null): void
  selectAdjacent(step: 1 | -1): void
  remove(id: string): Promise<void>
  clearAll(): Promise<void>
  /** Recomputes the verdict now (after adding a key, say); the answer also updates row and detail. */
  recheck(id: string): Promise<Outcome<Verdict>>
  /** The whole expected signature (verdicts keep a prefix); the engine refuses while the keyring is locked. */
  expectedSignature(id: string): Promise<Outcome<string | null>>
  /** The body with its Content-Encoding undone (or why not); a failed call is an error outcome. */
  decodedBody(id: string): Promise<Outcome<DecodedBody>>
  dismissActionError(): void
  handleEvent(event: EngineEvent): void
  dispose(): void
}

export interface DeliveriesStoreOptions {
  pageSize?: number
  /** Typing in the filter box reloads this long after the last keystroke. */
  searchDebounceMs?: number
  /** Live deliveries are batched: at thousands per second, one state update per delivery would freeze the UI. */
  liveFlushMs?: number
  maxCachedDetails?: number
  /** Match counts are refreshed at most this often when only the engine can tell (free text, re-verified rows). */
  countDebounceMs?: number
  /** Held live deliveries beyond this are dropped while paused; resuming then reloads instead. */
  maxHeld?: number
  /** Places relative time ranges ("today"); injected for tests. */
  now?: () => number
  /** From the page address (deep link). */
  initialFilter?: DeliveryFilter
  initialSelectedId?: string | null
}

export type DeliveriesStore = StoreApi<DeliveriesState>

export function createDeliveriesStore(client: EngineClient, options: DeliveriesStoreOptions = {}): DeliveriesStore {
  const pageSize = options.pageSize ?? 500
  const searchDebounceMs = options.searchDebounceMs ?? 250
  const liveFlushMs = options.liveFlushMs ?? 50
  const maxCachedDetails = options.maxCachedDetails ?? 16
  const countDebounceMs = options.countDebounceMs ?? 1000
  const maxHeld = options.maxHeld ?? 5000
  const now = options.now ?? (() => Date.now())

  // Private bookkeeping that is not UI state. `known` mirrors the ids in `rows` for O(1) dedup:
  // a live event and a page fetched around the same moment often carry the same delivery.
  const known = new Set<string>()
  /** Bumped by every reload; answers from an older generation are stale and dropped. */
  let generation = 0
  /** Ids removed while a reload was in flight: its page may still list them. */
  let removedDuringLoad = new Set<string>()
  let pendingLive: DeliverySummary[] = []
  /** Recomputed summaries by id, applied in the same batched flush as new ones. */
  let pendingUpdates = new Map<string, DeliverySummary>()
  /** Removed ids, batched too: retention evicts in bursts, and each removal is a pass over all rows. */
  let pendingRemovals = new Set<string>()
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  let searchTimer: ReturnType<typeof setTimeout> | null = null
  let headRefreshTimer: ReturnType<typeof setTimeout> | null = null
  let countTimer: ReturnType<typeof setTimeout> | null = null
  /** Counted per live event, applied in the batched flush. */
  let pendingTotal = 0
  let pendingMatched = 0
  /** Paused with more held than `maxHeld`: what was held is gone; resuming reloads. */
  let heldOverflow = false
  /** Per delivery, the latest detail fetch: an older answer landing late must not replace a newer one. */
  const detailSeq = new Map<string, number>()
  let detailFetches = 0

  const store = createStore<DeliveriesState>()((set, get) => {
    const replaceRows = (rows: readonly DeliverySummary[]): void => {
      known.clear()
      for (const row of rows) known.add(row.id)
      set({ rows })
    }

    const prependRows = (fresh: DeliverySummary[]): void => {
      const unique = fresh.filter((row) => !known.has(row.id))
      if (unique.length === 0) return
      for (const row of unique) known.add(row.id)
      set({ rows: [...unique, ...get().rows] })
    }

    /** Drops rows, queued live rows, cached details and the selection that `drop` matches. */
    const removeWhere = (drop: (id: string, endpointId: string | null) => boolean): void => {
      const { rows, details, selectedId } = get()
      pendingLive = pendingLive.filter((row) => !drop(row.id, row.endpointId))
      for (const [id, row] of pendingUpdates) if (drop(id, row.endpointId)) pendingUpdates.delete(id)
      const keptRows = rows.filter((row) => !drop(row.id, row.endpointId))
      if (keptRows.length !== rows.length) {
        for (const row of rows) if (drop(row.id, row.endpointId)) known.delete(row.id)
      }
      const endpointOf = (id: string): string | null => {
        const detail = details[id]
        return detail?.status === 'ready' ? detail.delivery.endpointId : (rows.find((row) => row.id === id)?.endpointId ?? null)
      }
      const keptDetails: Record<string, DetailState> = {}
      let detailsDropped = false
      for (const [id, detail] of Object.entries(details)) {
        if (drop(id, endpointOf(id))) detailsDropped = true
        else keptDetails[id] = detail
      }
      const selectionGone = selectedId !== null && drop(selectedId, endpointOf(selectedId))
      if (keptRows.length === rows.length && !detailsDropped && !selectionGone) return
      set({
        rows: keptRows.length === rows.length ? rows : keptRows,
        details: detailsDropped ? keptDetails : details,
        selectedId: selectionGone ? null : selectedId
      })
    }

    const removeIds = (ids: readonly string[]): void => {
      const dropped = new Set(ids)
      if (get().listStatus === 'loading') for (const id of ids) removedDuringLoad.add(id)
      removeWhere((id) => dropped.has(id))
    }

    const flushLive = (): void => {
      if (flushTimer !== null) clearTimeout(flushTimer)
      flushTimer = null
      // A reload in flight decides the head; it merges what arrived meanwhile when it lands.
      if (get().listStatus === 'loading') return
      applyCounts()
      // Removals first: they also cancel queued additions of the same ids.
      if (pendingRemovals.size > 0) {
        const removals = pendingRemovals
        pendingRemovals = new Set()
        removeWhere((id) => removals.has(id))
      }
      if (get().paused) {
        // Held, not shown: the list stays still while the user reads it.
        if (pendingLive.length > maxHeld) {
          heldOverflow = true
          pendingLive = []
        }
        const held = heldOverflow ? maxHeld : pendingLive.length
        if (held !== get().held) set({ held })
      } else if (pendingLive.length > 0) {
        const batch = pendingLive
        pendingLive = []
        // Events arrive oldest first; rows are newest first.
        prependRows(batch.reverse())
      }
      // After the prepend: an update may be for a delivery that was still queued.
      if (pendingUpdates.size > 0) applyUpdates()
    }

    const applyUpdates = (): void => {
      const updates = pendingUpdates
      pendingUpdates = new Map()
      const { rows, details, selectedId } = get()
      let changed = false
      const nextRows = rows.map((row) => {
        const update = updates.get(row.id)
        if (!update) return row
        changed = true
        return update
      })
      // A cached detail carries the old verdict: drop it. The one on screen stays visible with the
      // new summary while its full verdict is refetched, so the inspector does not flash "Loading".
      const stale = Object.keys(details).filter((id) => updates.has(id))
      if (stale.length > 0) {
        const nextDetails = { ...details }
        for (const id of stale) delete nextDetails[id]
        const shown = selectedId !== null ? details[selectedId] : undefined
        const refreshSelected = selectedId !== null && updates.has(selectedId)
        if (refreshSelected && shown?.status === 'ready') {
          nextDetails[selectedId] = { status: 'ready', delivery: { ...shown.delivery, ...updates.get(selectedId)! } }
        }
        set({ details: nextDetails })
        if (refreshSelected) void (shown?.status === 'ready' ? refreshDetail(selectedId) : fetchDetail(selectedId))
      }
      if (changed) set({ rows: nextRows })
    }

    /** Refetches a detail that is on screen without going through 'loading'; a failure keeps what is shown. */
    const refreshDetail = async (id: string): Promise<void> => {
      const seq = ++detailFetches
      detailSeq.set(id, seq)
      let delivery: Delivery
      try {
        delivery = await client.invoke('deliveries.get', { id })
      } catch (error) {
        if (detailSeq.get(id) !== seq) return
        detailSeq.delete(id)
        if (isEngineError(error) && error.code === 'NOT_FOUND' && id in get().details) {
          set({ details: { ...get().details, [id]: { status: 'error', message: describeError(error), gone: true } } })
        }
        return
      }
      // Dropped meanwhile (deleted, cache reset), or a newer fetch was started: leave it.
      if (detailSeq.get(id) !== seq) return
      detailSeq.delete(id)
      if (!(id in get().details)) return
      set({ details: { ...get().details, [id]: { status: 'ready', delivery } } })
    }

    /** Puts a fresh verdict into the row and the cached detail (the engine also announces it). */
    const applyVerdict = (id: string, verdict: Verdict): void => {
      const badge = verdictBadge(verdict)
      const { rows, details } = get()
      const index = rows.findIndex((row) => row.id === id)
      const detail = details[id]
      set({
        rows: index < 0 ? rows : rows.with(index, { ...rows[index]!, verdict: badge }),
        details:
          detail?.status === 'ready'
            ? { ...details, [id]: { status: 'ready', delivery: { ...detail.delivery, verdict: badge, verdictDetail: verdict } } }
            : details
      })
    }

    const scheduleFlush = (): void => {
      flushTimer ??= setTimeout(flushLive, liveFlushMs)
    }

    /** Live additions and removals move the totals without asking the engine. */
    const applyCounts = (): void => {
      if (pendingTotal === 0 && pendingMatched === 0) return
      const { total, matched, filter } = get()
      const nextTotal = total === null ? null : Math.max(0, total + pendingTotal)
      const nextMatched = !isFilterActive(filter) ? nextTotal : matched === null ? null : Math.max(0, matched + pendingMatched)
      pendingTotal = pendingMatched = 0
      set({ total: nextTotal, matched: nextMatched })
    }

    /** Asks the engine for both counts again, soon: for changes only it can count. */
    const scheduleCount = (): void => {
      // Free text is counted by reading bodies: ask far less often.
      countTimer ??= setTimeout(() => void refreshCounts(), get().filter.q.trim() ? countDebounceMs * 10 : countDebounceMs)
    }

    const refreshCounts = async (): Promise<void> => {
      if (countTimer !== null) clearTimeout(countTimer)
      countTimer = null
      const gen = generation
      try {
        const counts = await client.invoke('deliveries.count', queryOf(get().filter, now()))
        if (gen !== generation) return
        pendingTotal = pendingMatched = 0
        set({ total: counts.total, matched: counts.matched, matchedCapped: counts.capped })
      } catch {
        // Best effort: the counts stay as they were until the next change.
      }
    }

    /** With free text active, only the engine knows whether a new delivery matches: ask for the head again. */
    const refreshHead = async (): Promise<void> => {
      headRefreshTimer = null
      const gen = generation
      try {
        const page = await client.invoke('deliveries.list', listParams(get().filter, pageSize, null, now()))
        if (gen !== generation) return
        const fresh: DeliverySummary[] = []
        for (const item of page.items) {
          if (known.has(item.id)) break
          fresh.push(item)
        }
        // A whole page of new matches may hide a gap behind it (and the cursor must be the page's):
        // start over rather than show a hole.
        if (fresh.length === page.items.length && page.nextCursor !== null) {
          void get().reload()
          return
        }
        if (get().paused) {
          // Remembered as held; shown when the user resumes.
          pendingLive.push(...fresh.reverse())
          scheduleFlush()
          return
        }
        prependRows(fresh)
      } catch {
        // Best effort: the next event or a reload tries again; the list stays as it was.
      }
    }

    const fetchDetail = async (id: string): Promise<void> => {
      const seq = ++detailFetches
      detailSeq.set(id, seq)
      set({ details: { ...get().details, [id]: { status: 'loading' } } })
      let next: DetailState
      try {
        next = { status: 'ready', delivery: await client.invoke('deliveries.get', { id }) }
      } catch (error) {
        next = { status: 'error', message: describeError(error), gone: isEngineError(error) && error.code === 'NOT_FOUND' }
      }
      const { details, selectedId } = get()
      // Dropped meanwhile (deleted, cache reset): do not resurrect it. Superseded: the newer one decides.
      if (detailSeq.get(id) !== seq) return
      detailSeq.delete(id)
      if (!(id in details)) return
      const updated: Record<string, DetailState> = { ...details, [id]: next }
      // Evict the oldest entries, never the one on screen.
      const keys = Object.keys(updated)
      for (let i = 0; keys.length - i > maxCachedDetails && i < keys.length; i++) {
        const key = keys[i]!
        if (key !== selectedId && key !== id) delete updated[key]
      }
      set({ details: updated })
    }

    const cancelSearch = (): void => {
      if (searchTimer !== null) clearTimeout(searchTimer)
      searchTimer = null
    }

    const changeFilter = (filter: DeliveryFilter): void => {
      set({ filter })
      void get().reload()
    }

    return {
      rows: [],
      nextCursor: null,
      listStatus: 'idle',
      everLoaded: false,
      listError: null,
      loadingMore: false,
      filter: options.initialFilter ?? NO_FILTER,
      total: null,
      matched: null,
      matchedCapped: false,
      paused: false,
      held: 0,
      selectedId: options.initialSelectedId ?? null,
      details: {},
      actionError: null,
      facets: null,

      async reload() {
        cancelSearch()
        if (countTimer !== null) clearTimeout(countTimer)
        countTimer = null
        const gen = ++generation
        removedDuringLoad = new Set()
        // What was held while paused is part of the page being fetched.
        heldOverflow = false
        pendingLive = []
        pendingTotal = pendingMatched = 0
        const filter = get().filter
        const filtered = isFilterActive(filter)
        set({ listStatus: 'loading', listError: null, loadingMore: false, held: 0, ...(filtered ? { matched: null } : {}) })
        try {
          const at = now()
          const page = await client.invoke('deliveries.list', listParams(filter, pageSize, null, at))
          if (gen !== generation) return
          const removed = removedDuringLoad
          replaceRows(page.items.filter((item) => !removed.has(item.id)))
          const total = page.total ?? get().total
          // One page holds every match: that is the count, no need to ask.
          const complete = filtered && page.nextCursor === null
          set({
            nextCursor: page.nextCursor,
            listStatus: 'ready',
            everLoaded: true,
            total,
            matchedCapped: false,
            ...(!filtered ? { matched: total } : complete ? { matched: get().rows.length } : {})
          })
          flushLive()
          // Otherwise they are counted once the first page is on screen: with free text that is a scan.
          if (filtered && !complete) void refreshCounts()
        } catch (error) {
          if (gen !== generation) return
          set({ listStatus: 'error', listError: describeError(error) })
        }
      },

      async loadMore() {
        const { nextCursor, loadingMore, listStatus, filter } = get()
        if (nextCursor === null || loadingMore || listStatus !== 'ready') return
        const gen = generation
        set({ loadingMore: true })
        try {
          const page = await client.invoke('deliveries.list', listParams(filter, pageSize, nextCursor, now()))
          if (gen !== generation) return
          const older = page.items.filter((item) => !known.has(item.id))
          for (const item of older) known.add(item.id)
          set({ rows: [...get().rows, ...older], nextCursor: page.nextCursor, loadingMore: false })
        } catch (error) {
          if (gen !== generation) return
          set({ loadingMore: false, listError: describeError(error) })
        }
      },

      setQuery(q) {
        if (q === get().filter.q) return
        set({ filter: { ...get().filter, q } })
        cancelSearch()
        searchTimer = setTimeout(() => void get().reload(), searchDebounceMs)
      },

      setEndpointFilter(endpointId) {
        if (endpointId === get().filter.endpointId) return
        set({ filter: { ...get().filter, endpointId } })
        void get().reload()
      },

      setMethodFilter(method) {
        if (method === get().filter.method) return
        set({ filter: { ...get().filter, method } })
        void get().reload()
      },

      setFilter(patch) {
        const filter = get().filter
        const next: DeliveryFilter = { ...filter, ...patch }
        if (sameFilter(filter, next)) return
        changeFilter(next)
      },

      applyFilter(filter) {
        if (sameFilter(get().filter, filter)) return
        cancelSearch()
        changeFilter(filter)
      },

      clearFilters() {
        const { filter } = get()
        const next: DeliveryFilter = { ...NO_FILTER, q: filter.q }
        if (sameFilter(filter, next)) return
        changeFilter(next)
      },

      setPaused(paused) {
        if (paused === get().paused) return
        set({ paused })
        if (paused) return
        if (heldOverflow) {
          // More arrived than we kept: the engine has them all.
          void get().reload()
          return
        }
        set({ held: 0 })
        flushLive()
      },

      async loadFacets() {
        try {
          set({ facets: await client.invoke('deliveries.facets', {}) })
        } catch {
          // The menus still offer what every store has (verdicts, status classes, time ranges).
        }
      },

      select(id) {
        set({ selectedId: id })
        if (id === null) return
        const detail = get().details[id]
        if (!detail || detail.status === 'error') void fetchDetail(id)
      },

      selectAdjacent(step) {
        const { rows, selectedId } = get()
        if (rows.length === 0) return
        const index = selectedId === null ? -1 : rows.findIndex((row) => row.id === selectedId)
        const next = index < 0 ? rows[0] : rows[Math.min(rows.length - 1, Math.max(0, index + step))]
        if (next && next.id !== selectedId) get().select(next.id)
      },

      async remove(id) {
        try {
          await client.invoke('deliveries.delete', { id })
          // The selection moves on to the next (older) row, or the previous one at the end.
          const { rows, selectedId } = get()
          const index = rows.findIndex((row) => row.id === id)
          const next = selectedId === id && index >= 0 ? (rows[index + 1] ?? rows[index - 1] ?? null) : null
          // The counts follow the engine's `deliveries.removed`, like every other removal.
          removeIds([id])
          if (next) get().select(next.id)
        } catch (error) {
          set({ actionError: describeError(error) })
        }
      },

      async clearAll() {
        try {
          await client.invoke('deliveries.clear', {})
          get().handleEvent({ type: 'deliveries.cleared', endpointId: null })
        } catch (error) {
          set({ actionError: describeError(error) })
        }
      },

      async recheck(id) {
        const outcome = await attempt(() => client.invoke('deliveries.verify', { id }))
        if (outcome.ok) applyVerdict(id, outcome.value)
        return outcome
      },

      async expectedSignature(id) {
        return attempt(async () => (await client.invoke('deliveries.expectedSignature', { id })).expected)
      },

      async decodedBody(id) {
        return attempt(() => client.invoke('deliveries.decodedBody', { id }))
      },

      dismissActionError() {
        set({ actionError: null })
      },

      handleEvent(event) {
        switch (event.type) {
          case 'delivery.added': {
            const match = matchesFilter(event.delivery, get().filter, now())
            pendingTotal += 1
            if (match === true) {
              pendingMatched += 1
              pendingLive.push(event.delivery)
            } else if (match === null) {
              headRefreshTimer ??= setTimeout(() => void refreshHead(), searchDebounceMs)
              scheduleCount()
            }
            scheduleFlush()
            break
          }
          case 'delivery.updated': {
            pendingUpdates.set(event.delivery.id, event.delivery)
            // A new verdict may move it in or out of a verdict filter.
            const { verdict, code, scheme } = get().filter
            if (verdict || code || scheme) scheduleCount()
            scheduleFlush()
            break
          }
          case 'deliveries.removed': {
            let unseen = 0
            for (const id of event.ids) {
              if (pendingRemovals.has(id)) continue
              pendingRemovals.add(id)
              unseen += 1
            }
            pendingTotal -= unseen
            // Whether they matched the filter, only the engine still knows.
            if (isFilterActive(get().filter)) scheduleCount()
            // A page in flight may still list them: the reload filters them out when it lands.
            if (get().listStatus === 'loading') for (const id of event.ids) removedDuringLoad.add(id)
            scheduleFlush()
            break
          }
          case 'deliveries.cleared':
            if (event.endpointId === null) {
              pendingLive = []
              pendingUpdates = new Map()
              pendingRemovals = new Set()
              pendingTotal = pendingMatched = 0
              heldOverflow = false
              known.clear()
              set({ rows: [], nextCursor: null, details: {}, selectedId: null, total: 0, matched: 0, held: 0 })
              // A page in flight predates the clear; ask again.
              if (get().listStatus === 'loading') void get().reload()
            } else {
              const cleared = event.endpointId
              removeWhere((_id, endpointId) => endpointId === cleared)
              scheduleCount()
              if (get().listStatus === 'loading') void get().reload()
            }
            break
          case 'stream.reset': {
            // Events were missed: refetch the list, and the open detail in case it was deleted.
            const { selectedId } = get()
            set({ details: {} })
            void get().reload()
            if (selectedId !== null) void fetchDetail(selectedId)
            break
          }
          default:
            // Endpoint and key events belong to other stores.
            break
        }
      },

      dispose() {
        cancelSearch()
        for (const timer of [flushTimer, headRefreshTimer, countTimer]) if (timer !== null) clearTimeout(timer)
        flushTimer = headRefreshTimer = countTimer = null
        generation++
      }
    }
  })
  return store
}

function sameFilter(a: DeliveryFilter, b: DeliveryFilter): boolean {
  return JSON.stringify(normalized(a)) === JSON.stringify(normalized(b))
}

/** Absent and null mean the same ("any"); key order must not matter. */
function normalized(filter: DeliveryFilter): unknown[] {
  return [
    filter.q,
    filter.endpointId,
    filter.method,
    filter.verdict ?? null,
    filter.code ?? null,
    filter.scheme ?? null,
    filter.status ?? null,
    filter.eventType ?? null,
    filter.time ?? null
  ]
}

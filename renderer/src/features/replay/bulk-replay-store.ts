import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent, EngineParams } from '../../../../shared/api/contract'
import type { AttemptBatch } from '../../../../shared/model/relay'
import { describeError } from '../../api/describe-error'

/** What a bulk replay covers: chosen deliveries, or every delivery matching the list's filter. */
export type BulkScope = { kind: 'selection'; deliveryIds: string[] } | { kind: 'filter'; filter: Record<string, unknown> }

export interface BulkReplayOptions {
  /** Omitted: each delivery goes to its own rule's target. */
  to?: string
  resignKeyId?: string
  concurrency?: number
  ratePerSecond?: number
}

export interface BulkReplayState {
  batch: AttemptBatch | null
  starting: boolean
  error: string | null
  start(scope: BulkScope, options: BulkReplayOptions): Promise<void>
  cancel(): Promise<void>
  /** Forgets a finished batch (the dialog closes). */
  reset(): void
  handleEvent(event: EngineEvent): void
}

export type BulkReplayStore = StoreApi<BulkReplayState>

export function bulkParams(scope: BulkScope, options: BulkReplayOptions): EngineParams<'replay.start'> {
  return {
    ...(scope.kind === 'selection' ? { deliveryIds: scope.deliveryIds } : { filter: scope.filter }),
    ...(options.to ? { to: options.to } : {}),
    ...(options.resignKeyId ? { resignKeyId: options.resignKeyId } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.ratePerSecond ? { ratePerSecond: options.ratePerSecond } : {})
  }
}

/** A bulk replay: started once, then followed through `batch.progress` events until it finishes or is cancelled. */
export function createBulkReplayStore(client: EngineClient): BulkReplayStore {
  const newer = (current: AttemptBatch | null, next: AttemptBatch) =>
    current === null || current.id !== next.id || next.done >= current.done || next.state !== 'running'
  return createStore<BulkReplayState>()((set, get) => ({
    batch: null,
    starting: false,
    error: null,
    start: async (scope, options) => {
      set({ starting: true, error: null, batch: null })
      try {
        const batch = await client.invoke('replay.start', bulkParams(scope, options))
        // Progress events may have arrived before the answer: keep whichever is further along.
        const current = get().batch
        const keep = current !== null && current.id === batch.id && !newer(current, batch)
        set({ batch: keep ? current : batch, starting: false })
      } catch (error) {
        set({ error: describeError(error), starting: false })
      }
    },
    cancel: async () => {
      const batch = get().batch
      if (batch?.state !== 'running') return
      try {
        const cancelled = await client.invoke('replay.cancel', { batchId: batch.id })
        if (get().batch?.id === cancelled.id) set({ batch: cancelled })
      } catch (error) {
        set({ error: describeError(error) })
      }
    },
    reset: () => set({ batch: null, error: null, starting: false }),
    handleEvent: (event) => {
      if (event.type !== 'batch.progress' || event.batch.kind !== 'replay') return
      const current = get().batch
      // Only the batch this dialog started (or, while starting, the one it is about to get).
      if (current ? current.id !== event.batch.id : !get().starting) return
      if (newer(current, event.batch)) set({ batch: event.batch })
    }
  }))
}

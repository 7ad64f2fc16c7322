import { createStore, type StoreApi } from 'zustand/vanilla'
import type { DeliveryQuery } from '../../../shared/api/contract'
import type { DeliveryExporter, ExportFormat } from '../api/delivery-exporter'
import { describeError } from '../api/describe-error'

export type ExportStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error'

export interface ExportState {
  status: ExportStatus
  format: ExportFormat | null
  written: number
  total: number
  /** Where it went (file name or path) when done; the reason when it failed. */
  message: string | null
  /** Whether a running export can be stopped (the desktop writes its file in one go). */
  cancellable: boolean
  /** Exports what the list's current filter matches. Ignored while one runs. */
  start(format: ExportFormat): Promise<void>
  cancel(): void
  dismiss(): void
}

export type ExportStore = StoreApi<ExportState>

/** Progress is published at most once per this many deliveries (a 100,000-row export stays cheap to watch). */
const PUBLISH_EVERY = 100

/** One export at a time, of the current filter, with progress. `query` reads the filter when it starts. */
export function createExportStore(exporter: DeliveryExporter, query: () => DeliveryQuery): ExportStore {
  let controller: AbortController | null = null
  return createStore<ExportState>()((set, get) => ({
    status: 'idle',
    format: null,
    written: 0,
    total: 0,
    message: null,
    cancellable: exporter.cancellable,

    async start(format) {
      if (get().status === 'running') return
      const abort = new AbortController()
      controller = abort
      set({ status: 'running', format, written: 0, total: 0, message: null })
      let published = -PUBLISH_EVERY
      const onProgress = ({ written, total }: { written: number; total: number }) => {
        if (controller !== abort) return
        if (written - published < PUBLISH_EVERY && written < total && total === get().total) return
        published = written
        set({ written, total })
      }
      try {
        const outcome = await exporter.export(format, query(), onProgress, abort.signal)
        if (controller !== abort) return
        if (outcome.kind === 'cancelled') set({ status: 'cancelled', message: null })
        else set({ status: 'done', written: outcome.count, total: Math.max(get().total, outcome.count), message: outcome.where })
      } catch (error) {
        if (controller !== abort) return
        set({ status: abort.signal.aborted ? 'cancelled' : 'error', message: abort.signal.aborted ? null : describeError(error) })
      } finally {
        if (controller === abort) controller = null
      }
    },

    cancel() {
      if (get().status !== 'running' || !exporter.cancellable) return
      controller?.abort()
    },

    dismiss() {
      if (get().status === 'running') return
      set({ status: 'idle', format: null, written: 0, total: 0, message: null })
    }
  }))
}

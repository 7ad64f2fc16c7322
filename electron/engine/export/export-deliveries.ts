import type { DeliveryQuery, EngineEvent, ExportResult, ParsedParams } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { exportFileName } from '../../../shared/lib/export-file-name'
import type { Clock } from '../engine-types'
import type { NdjsonAttempt } from '../relay/attempt-export'
import type { DeliveriesReader } from '../store/deliveries-reader'
import { type ExportFormat, exportChunks } from './delivery-export'
import { writeExportFile } from './write-export-file'

/** Asks the user where to save a file (desktop: the native save dialog); null when cancelled. */
export type ChooseSavePath = (suggestedName: string) => Promise<string | null>

export interface DeliveryExporterDeps {
  deliveries: Pick<DeliveriesReader, 'iterate' | 'counts'>
  version: string
  clock: Clock
  emit: (event: EngineEvent) => void
  /** Absent when headless: there, pages stream the export from the HTTP server instead. */
  chooseSavePath?: ChooseSavePath
  /** The attempts NDJSON lines carry (relay/attempt-export.ts); none when absent. */
  attemptsOf?: (deliveryId: string) => NdjsonAttempt[]
}

/** Progress is announced at most this often (in deliveries), plus once at the end. */
const PROGRESS_STEP_MIN = 200

/** Exports of the deliveries a query matches: as a stream of text (HTTP) or into a file (desktop). */
export function createDeliveryExporter(deps: DeliveryExporterDeps) {
  return {
    /** The export as text chunks, with the number of deliveries it holds. Lazy: read as consumed. */
    stream(format: ExportFormat, query: DeliveryQuery): { total: number; chunks: Iterable<string> } {
      return {
        total: deps.deliveries.counts(query).matched,
        chunks: exportChunks(format, deps.version, deps.deliveries.iterate(query), undefined, deps.attemptsOf)
      }
    },

    async toFile({ format, query, exportId }: ParsedParams<'deliveries.export'>): Promise<ExportResult> {
      if (!deps.chooseSavePath) {
        throw new EngineError('BAD_INPUT', 'saving an export to a file needs the desktop app; the headless server streams it (POST /api/export)')
      }
      const path = await deps.chooseSavePath(exportFileName(format, deps.clock.now()))
      if (path === null) return { path: null, count: 0 }
      const total = deps.deliveries.counts(query).matched
      const step = Math.max(PROGRESS_STEP_MIN, Math.ceil(total / 100))
      let written = 0
      const announce = () => deps.emit({ type: 'export.progress', exportId, written, total: Math.max(total, written) })
      announce()
      const chunks = exportChunks(
        format,
        deps.version,
        deps.deliveries.iterate(query),
        (count) => {
          written = count
          if (count % step === 0) announce()
        },
        deps.attemptsOf
      )
      await writeExportFile(path, chunks)
      announce()
      return { path, count: written }
    }
  }
}

export type DeliveryExporter = ReturnType<typeof createDeliveryExporter>

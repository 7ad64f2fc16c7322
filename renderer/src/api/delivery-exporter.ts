import type { DeliveryQuery, EngineClient } from '../../../shared/api/contract'
import { API_EXPORT_PATH, EXPORT_COUNT_HEADER } from '../../../shared/api/http-routes'
import type { WireResult } from '../../../shared/api/result'
import { EngineError } from '../../../shared/errors'
import { exportFileName } from '../../../shared/lib/export-file-name'
import { parseWireResult } from './wire-result'

export type ExportFormat = 'ndjson' | 'har'

export interface ExportProgress {
  written: number
  total: number
}

export type ExportOutcome = { kind: 'saved'; count: number; where: string } | { kind: 'cancelled' }

/**
 * Saves the deliveries a query matches, reporting progress. Two ways, one per transport: the
 * headless page downloads a stream from its server; the desktop engine writes the file the
 * native save dialog names. Rejects with an EngineError when it fails.
 */
export interface DeliveryExporter {
  /** Whether `signal` can stop an export under way (the desktop writes to disk in one go). */
  cancellable: boolean
  export(format: ExportFormat, query: DeliveryQuery, onProgress: (progress: ExportProgress) => void, signal: AbortSignal): Promise<ExportOutcome>
}

export interface HttpExporterOptions {
  origin: string
  token: string
  fetch: typeof fetch
  /** Hands the finished file to the browser (a download). */
  save: (blob: Blob, fileName: string) => void
  now?: () => number
}

/**
 * Headless: POST /api/export streams the export one delivery per line; the line breaks counted
 * as it arrives are the progress. The bytes flow into a Blob that the browser assembles (large
 * ones are kept out of the page's memory), then download as a file.
 */
export function createHttpExporter(options: HttpExporterOptions): DeliveryExporter {
  const now = options.now ?? (() => Date.now())
  return {
    cancellable: true,
    async export(format, query, onProgress, signal) {
      let response: Response
      try {
        response = await options.fetch(`${options.origin}${API_EXPORT_PATH}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ format, query }),
          signal
        })
      } catch (error) {
        if (signal.aborted) return { kind: 'cancelled' }
        throw new EngineError('TRANSPORT', `engine unreachable: ${error instanceof Error ? error.message : String(error)}`)
      }
      if (!response.ok || !response.body) {
        let answer: WireResult<unknown> | null = null
        try {
          answer = parseWireResult(await response.json())
        } catch {
          // Not the engine's JSON: described by its status below.
        }
        if (answer && !answer.ok) throw EngineError.fromWire(answer.error)
        throw new EngineError('TRANSPORT', `the export failed (HTTP ${response.status})`)
      }
      const total = Number(response.headers.get(EXPORT_COUNT_HEADER)) || 0
      // HAR: a header line comes before the first delivery.
      const before = format === 'har' ? 1 : 0
      let lines = 0
      onProgress({ written: 0, total })
      const counted = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x0a) lines++
            onProgress({ written: Math.min(total, Math.max(0, lines - before)), total })
            controller.enqueue(chunk)
          }
        })
      )
      let blob: Blob
      try {
        blob = await new Response(counted, { headers: { 'Content-Type': 'application/octet-stream' } }).blob()
      } catch (error) {
        if (signal.aborted) return { kind: 'cancelled' }
        throw new EngineError('TRANSPORT', `the export stopped before the end: ${error instanceof Error ? error.message : String(error)}`)
      }
      const fileName = exportFileName(format, now())
      options.save(blob, fileName)
      return { kind: 'saved', count: total, where: fileName }
    }
  }
}

/** Desktop: the engine asks where to save (native dialog) and writes the file, announcing progress. */
export function createIpcExporter(client: EngineClient): DeliveryExporter {
  let sequence = 0
  return {
    cancellable: false,
    async export(format, query, onProgress) {
      const exportId = `e${Date.now().toString(36)}${(sequence++).toString(36)}`
      const unsubscribe = client.subscribe((event) => {
        if (event.type === 'export.progress' && event.exportId === exportId) onProgress({ written: event.written, total: event.total })
      })
      try {
        const result = await client.invoke('deliveries.export', { format, query, exportId })
        return result.path === null ? { kind: 'cancelled' } : { kind: 'saved', count: result.count, where: result.path }
      } finally {
        unsubscribe()
      }
    }
  }
}

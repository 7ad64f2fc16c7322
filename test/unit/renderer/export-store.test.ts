import { describe, expect, it } from 'vitest'
import type { DeliveryExporter, ExportOutcome, ExportProgress } from '../../../renderer/src/api/delivery-exporter'
import { createExportStore } from '../../../renderer/src/stores/export-store'
import type { DeliveryQuery } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { settle } from './fake-engine-client'

/** An exporter the test drives: it reports progress and finishes when told. */
class FakeExporter implements DeliveryExporter {
  cancellable = true
  calls: { format: string; query: DeliveryQuery }[] = []
  progress: (p: ExportProgress) => void = () => {}
  signal: AbortSignal | null = null
  private finish: (outcome: ExportOutcome) => void = () => {}
  private fail: (error: unknown) => void = () => {}

  export(format: 'ndjson' | 'har', query: DeliveryQuery, onProgress: (p: ExportProgress) => void, signal: AbortSignal): Promise<ExportOutcome> {
    this.calls.push({ format, query })
    this.progress = onProgress
    this.signal = signal
    return new Promise((resolve, reject) => {
      this.finish = resolve
      this.fail = reject
      signal.addEventListener('abort', () => resolve({ kind: 'cancelled' }))
    })
  }
  done(outcome: ExportOutcome) {
    this.finish(outcome)
  }
  error(error: unknown) {
    this.fail(error)
  }
}

describe('export store', () => {
  it('exports the current filter with progress, then says where it went', async () => {
    const exporter = new FakeExporter()
    const store = createExportStore(exporter, () => ({ verdict: 'invalid' }))
    void store.getState().start('har')
    expect(exporter.calls).toEqual([{ format: 'har', query: { verdict: 'invalid' } }])
    exporter.progress({ written: 0, total: 1000 })
    exporter.progress({ written: 500, total: 1000 })
    expect(store.getState()).toMatchObject({ status: 'running', format: 'har', written: 500, total: 1000 })
    // A second start while one runs is ignored.
    void store.getState().start('ndjson')
    expect(exporter.calls).toHaveLength(1)
    exporter.done({ kind: 'saved', count: 1000, where: 'hookscope.har' })
    await settle()
    expect(store.getState()).toMatchObject({ status: 'done', written: 1000, message: 'hookscope.har' })
    store.getState().dismiss()
    expect(store.getState().status).toBe('idle')
  })

  it('publishes progress in steps, not per delivery', () => {
    const exporter = new FakeExporter()
    const store = createExportStore(exporter, () => ({}))
    let updates = 0
    store.subscribe(() => updates++)
    void store.getState().start('ndjson')
    updates = 0
    for (let written = 0; written <= 10_000; written++) exporter.progress({ written, total: 10_000 })
    expect(updates).toBeLessThanOrEqual(102)
    expect(store.getState().written).toBe(10_000)
  })

  it('cancels through the signal, and reports failures with the engine message', async () => {
    const exporter = new FakeExporter()
    const store = createExportStore(exporter, () => ({}))
    void store.getState().start('ndjson')
    store.getState().cancel()
    expect(exporter.signal?.aborted).toBe(true)
    await settle()
    expect(store.getState().status).toBe('cancelled')

    void store.getState().start('ndjson')
    exporter.error(new EngineError('TRANSPORT', 'the export stopped before the end'))
    await settle()
    expect(store.getState()).toMatchObject({ status: 'error', message: 'the export stopped before the end' })
  })

  it('offers no cancel where the transport cannot stop', () => {
    const exporter = new FakeExporter()
    exporter.cancellable = false
    const store = createExportStore(exporter, () => ({}))
    void store.getState().start('ndjson')
    store.getState().cancel()
    expect(exporter.signal?.aborted).toBe(false)
    expect(store.getState().cancellable).toBe(false)
  })
})

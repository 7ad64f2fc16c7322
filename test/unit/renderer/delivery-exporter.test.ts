import { describe, expect, it } from 'vitest'
import { createHttpExporter, createIpcExporter, type ExportProgress } from '../../../renderer/src/api/delivery-exporter'
import { FakeEngineClient } from './fake-engine-client'

/** A streamed answer, chunk by chunk, as the server sends an export. */
function streamed(chunks: string[], count: number): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    }
  })
  return new Response(body, { status: 200, headers: { 'x-hookscope-export-count': String(count) } })
}

describe('HTTP exporter', () => {
  it('posts the query, counts deliveries by line breaks as they arrive, and saves the whole stream', async () => {
    const requests: { url: string; body: string }[] = []
    const saved: { blob: Blob; name: string }[] = []
    const exporter = createHttpExporter({
      origin: 'http://h',
      token: 'tok',
      now: () => Date.UTC(2025, 5, 1, 13, 14, 15),
      fetch: (async (url: string, init: RequestInit) => {
        requests.push({ url, body: String(init.body) })
        return streamed(['{"log":{"entries":[\n{"a":1}\n', ',{"a":2}\n,{"a"', ':3}\n', ']}}\n'], 3)
      }) as typeof fetch,
      save: (blob, name) => saved.push({ blob, name })
    })
    const progress: ExportProgress[] = []
    const outcome = await exporter.export('har', { verdict: 'invalid' }, (p) => progress.push(p), new AbortController().signal)
    expect(requests).toEqual([{ url: 'http://h/api/export', body: '{"format":"har","query":{"verdict":"invalid"}}' }])
    expect(outcome).toEqual({ kind: 'saved', count: 3, where: 'hookscope-2025-06-01-13-14-15.har' })
    expect(progress.map((p) => p.written)).toEqual([0, 1, 2, 3, 3])
    expect(progress.every((p) => p.total === 3)).toBe(true)
    expect(saved.map((file) => file.name)).toEqual([outcome.kind === 'saved' ? outcome.where : ''])
    expect(JSON.parse(await saved[0]!.blob.text())).toEqual({ log: { entries: [{ a: 1 }, { a: 2 }, { a: 3 }] } })
  })

  it('turns the engine error of a refused export into an EngineError', async () => {
    const exporter = createHttpExporter({
      origin: 'http://h',
      token: 'tok',
      fetch: (async () =>
        new Response(JSON.stringify({ ok: false, error: { code: 'BAD_INPUT', message: 'export: format: invalid' } }), { status: 400 })) as typeof fetch,
      save: () => {}
    })
    await expect(exporter.export('ndjson', {}, () => {}, new AbortController().signal)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'export: format: invalid'
    })
  })

  it('reports a cancelled export as cancelled', async () => {
    const controller = new AbortController()
    const exporter = createHttpExporter({
      origin: 'http://h',
      token: 'tok',
      fetch: (async () => {
        controller.abort()
        throw new DOMException('aborted', 'AbortError')
      }) as typeof fetch,
      save: () => {}
    })
    expect(await exporter.export('ndjson', {}, () => {}, controller.signal)).toEqual({ kind: 'cancelled' })
  })
})

describe('IPC exporter', () => {
  it('follows its own progress events and reports where the file went', async () => {
    const client = new FakeEngineClient()
    const progress: ExportProgress[] = []
    const exporter = createIpcExporter(client)
    const invoke = client.invoke.bind(client)
    client.invoke = (async (method: string, params: { exportId: string }) => {
      if (method !== 'deliveries.export') return invoke(method as never, params as never)
      client.broadcast({ type: 'export.progress', exportId: 'someone-else', written: 9, total: 9 })
      client.broadcast({ type: 'export.progress', exportId: params.exportId, written: 1, total: 2 })
      client.broadcast({ type: 'export.progress', exportId: params.exportId, written: 2, total: 2 })
      return { path: '/home/ada/out.ndjson', count: 2 }
    }) as typeof client.invoke
    const outcome = await exporter.export('ndjson', {}, (p) => progress.push(p), new AbortController().signal)
    expect(outcome).toEqual({ kind: 'saved', count: 2, where: '/home/ada/out.ndjson' })
    expect(progress).toEqual([
      { written: 1, total: 2 },
      { written: 2, total: 2 }
    ])
  })
})

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { systemClock } from '../../electron/engine/clock'
import { type ApiServer, startApiServer } from '../../electron/engine/http/api-server'
import { createLocalClient } from '../../electron/engine/local-client'
import { silentLogger } from '../../electron/engine/logger'
import type { EngineEvent } from '../../shared/api/contract'
import { engineEachTest, type TestEngine } from '../helpers/test-engine'

const TOKEN = 'export-token-0123456789abcdefABCDEF'

const engines = engineEachTest('hookscope-export-')
let api: ApiServer | undefined
// Registered after engineEachTest(): after-each hooks run last-registered first, so the API closes before the engine stops.
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function start(): Promise<{ hook: TestEngine; api: ApiServer }> {
  const hook = await engines.start({ dataDir: join(engines.dir, 'data') })
  api = await startApiServer({ engine: hook.engine, token: TOKEN, rendererDir: null, host: '127.0.0.1', port: 0, logger: silentLogger })
  return { hook, api }
}

async function send(path: string, body: unknown, type = 'application/json'): Promise<string> {
  const res = await fetch(engines.last.url + path.replace(/^\//, ''), { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify(body) })
  return ((await res.json()) as { id: string }).id
}

function exportCall(body: unknown, token = TOKEN) {
  return fetch(`http://127.0.0.1:${api!.port}/api/export`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  })
}

describe('export over the headless API', () => {
  it('streams the deliveries the query matches, oldest first, one per line, with their number up front', async () => {
    await start()
    const a = await send('/a', { type: 'invoice.paid' })
    await send('/b', { type: 'customer.created' })
    const c = await send('/c', { type: 'invoice.created' })
    const res = await exportCall({ format: 'ndjson', query: { eventType: 'invoice' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-hookscope-export-count')).toBe('2')
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    const lines = (await res.text()).split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([a, c])
  })

  it('streams HAR that parses, one entry per line', async () => {
    await start()
    const ids = [await send('/1', { n: 1 }), await send('/2', { n: 2 })]
    const res = await exportCall({ format: 'har', query: {} })
    const text = await res.text()
    expect(res.headers.get('x-hookscope-export-count')).toBe('2')
    const log = (JSON.parse(text) as { log: { entries: { _hookscope: { id: string } }[] } }).log
    expect(log.entries.map((entry) => entry._hookscope.id)).toEqual(ids)
    // Header line, two entries, footer: a page counts entries by counting line breaks.
    expect(text.split('\n').length - 1).toBe(ids.length + 2)
  })

  it('needs the token, and refuses bad queries', async () => {
    await start()
    expect((await exportCall({ format: 'ndjson', query: {} }, 'wrong')).status).toBe(401)
    const bad = await exportCall({ format: 'csv', query: {} })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_INPUT')
    expect((await exportCall({ format: 'ndjson', query: { verdict: 'maybe' } })).status).toBe(400)
  })

  it('says which run answered, also on a 401, and prints it in the UI address', async () => {
    const { hook: engine, api: server } = await start()
    const { runId } = await engine.client.invoke('app.info', {})
    const refused = await fetch(`http://127.0.0.1:${server.port}/api/invoke/app.info`, {
      method: 'POST',
      headers: { Authorization: 'Bearer stale', 'Content-Type': 'application/json' },
      body: '{}'
    })
    expect(refused.status).toBe(401)
    expect(refused.headers.get('x-hookscope-run')).toBe(runId)
    expect(server.uiUrl).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}&run=${runId}`)
  })

  it('refuses a file export without a desktop to ask where', async () => {
    const { hook: engine } = await start()
    await expect(engine.client.invoke('deliveries.export', { format: 'ndjson', query: {}, exportId: 'x1' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})

describe('export to a file (desktop)', () => {
  it('writes where the save dialog says, announcing progress, and does nothing when cancelled', async () => {
    const target = join(engines.dir, 'out.ndjson')
    let answer: string | null = target
    const asked: string[] = []
    const engine = await createEngine(
      { dataDir: join(engines.dir, 'desk'), host: 'desktop', version: 'test' },
      {
        clock: systemClock,
        logger: silentLogger,
        chooseSavePath: async (name) => {
          asked.push(name)
          return answer
        }
      }
    )
    try {
      const client = createLocalClient(engine)
      await engine.start()
      const endpoint = await client.invoke('endpoints.create', { id: 'ep', name: 'Ep', port: 0 })
      for (let i = 0; i < 3; i++) await fetch(endpoint.state.url!, { method: 'POST', body: `{"type":"t${i}"}` })
      const events: EngineEvent[] = []
      engine.subscribe((event) => events.push(event))

      const result = await client.invoke('deliveries.export', { format: 'ndjson', query: { eventType: 't1' }, exportId: 'e1' })
      expect(result).toEqual({ path: target, count: 1 })
      expect(asked[0]).toMatch(/^hookscope-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.ndjson$/)
      expect(readFileSync(target, 'utf8').trim().split('\n')).toHaveLength(1)
      expect(existsSync(`${target}.partial`)).toBe(false)
      const progress = events.filter((event) => event.type === 'export.progress')
      expect(progress.at(0)).toEqual({ type: 'export.progress', exportId: 'e1', written: 0, total: 1 })
      expect(progress.at(-1)).toEqual({ type: 'export.progress', exportId: 'e1', written: 1, total: 1 })

      answer = null
      expect(await client.invoke('deliveries.export', { format: 'har', query: {}, exportId: 'e2' })).toEqual({ path: null, count: 0 })
    } finally {
      await engine.stop()
    }
  })
})

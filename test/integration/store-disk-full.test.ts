import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../electron/engine'
import { systemClock } from '../../electron/engine/clock'
import { createLocalClient } from '../../electron/engine/local-client'
import type { EngineEvent } from '../../shared/api/contract'
import { fillUp, smallTmpfs } from '../helpers/small-tmpfs'

/**
 * Issue 10 #10 on a real full file system: a 4 MiB tmpfs. Mounting needs root (CI runs as root on
 * these machines); elsewhere the test is skipped and store-health.test.ts still covers the counting
 * with SQLite's own SQLITE_FULL error.
 */
const { mounted, mountPoint } = smallTmpfs('4m')

describe.skipIf(!mounted)('a full disk', () => {
  const lines: string[] = []
  const log = (level: string) => (message: string) => lines.push(`${level} ${message}`)
  const logger = { debug: () => {}, info: log('info'), warn: log('warn'), error: log('error') }

  beforeAll(() => lines.splice(0))

  it('answers 503, logs the first failure and a count (not a line per delivery), shows "disk-full", and recovers', async () => {
    const dataDir = join(mountPoint, 'data')
    const engine = await createEngine({ dataDir, host: 'headless', version: 'test' }, { clock: systemClock, logger })
    const events: EngineEvent[] = []
    engine.subscribe((event) => events.push(event))
    await engine.start()
    const client = createLocalClient(engine)
    try {
      const endpoint = await client.invoke('endpoints.create', { id: 'full', name: 'Full', port: 0 })
      const url = endpoint.state.url!
      const post = async (body: string) => (await fetch(url, { method: 'POST', body })).status
      expect(await post('before')).toBe(200)

      // Fill the file system.
      const filler = join(mountPoint, 'filler')
      expect(fillUp(filler)).toBeGreaterThan(0)

      const body = 'x'.repeat(16 * 1024)
      const statuses: number[] = []
      for (let i = 0; i < 200; i++) statuses.push(await post(body))
      expect(statuses.filter((status) => status === 503).length).toBeGreaterThan(150)
      expect(await client.invoke('store.health', {})).toMatchObject({ state: 'disk-full' })
      expect(events.some((event) => event.type === 'store.health' && event.health.state === 'disk-full')).toBe(true)
      // 200 failed deliveries: the first is logged, the rest are counted.
      expect(lines.filter((line) => line.startsWith('error')).length).toBeLessThanOrEqual(2)

      rmSync(filler)
      expect(await post('after')).toBe(200)
      expect(await client.invoke('store.health', {})).toMatchObject({ state: 'ok' })
      expect(events.filter((event) => event.type === 'store.health').map((event) => (event as { health: { state: string } }).health.state)).toEqual([
        'disk-full',
        'ok'
      ])
    } finally {
      await engine.stop()
    }
  })
})

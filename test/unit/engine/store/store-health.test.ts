import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { classifyStoreError, StoreHealth } from '../../../../electron/engine/store/store-health'
import type { StoreHealthStatus } from '../../../../shared/model/store-health'

const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' })

function setup() {
  const lines: { level: string; message: string }[] = []
  const log = (level: string) => (message: string) => lines.push({ level, message })
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
  const events: StoreHealthStatus[] = []
  const health = new StoreHealth({ clock: { now: () => 1_700_000_000_000 }, logger, emit: (status) => events.push(status), intervalMs: 10_000 })
  return { health, lines, events }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('StoreHealth (issue 10 #8, #10)', () => {
  it('logs the first failure, then one count per interval: not one line per failed delivery', () => {
    const { health, lines, events } = setup()
    for (let i = 0; i < 9_893; i++) health.reportWriteFailure(full)
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1)
    expect(lines[0]!.message).toContain('disk is full')
    vi.advanceTimersByTime(10_000)
    expect(lines.filter((line) => line.level === 'error').map((line) => line.message)).toEqual([lines[0]!.message, 'store: 9892 more write(s) failed'])
    // Quiet intervals add nothing.
    vi.advanceTimersByTime(60_000)
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(2)
    expect(health.current()).toMatchObject({ state: 'disk-full', failures: 9_893, since: 1_700_000_000_000 })
    expect(events.map((event) => event.state)).toEqual(['disk-full'])
  })

  it('comes back to ok on the next successful write, saying so once', () => {
    const { health, lines, events } = setup()
    health.reportWriteFailure(full)
    health.reportWriteFailure(full)
    health.reportWriteSuccess()
    health.reportWriteSuccess()
    expect(health.current()).toMatchObject({ state: 'ok', failures: 0, since: null })
    expect(events.map((event) => event.state)).toEqual(['disk-full', 'ok'])
    expect(lines.filter((line) => line.level === 'info')).toHaveLength(1)
  })

  it('damage sticks: later successes or other failures do not hide it', () => {
    const { health, events } = setup()
    health.reportWriteFailure(corrupt)
    health.reportWriteSuccess()
    health.reportWriteFailure(full)
    expect(health.current().state).toBe('damaged')
    expect(health.current().detail).toContain('.recover')
    expect(events.map((event) => event.state)).toEqual(['damaged'])
  })

  it('classifies by SQLite code, and by message when the error crossed a thread without its code', () => {
    expect(classifyStoreError(full)).toBe('disk-full')
    expect(classifyStoreError(Object.assign(new Error('x'), { code: 'SQLITE_IOERR_WRITE' }))).toBe('failing')
    expect(classifyStoreError(Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }))).toBe('read-only')
    expect(classifyStoreError(new Error('database disk image is malformed'))).toBe('damaged')
    expect(classifyStoreError(new Error('database or disk is full'))).toBe('disk-full')
    expect(classifyStoreError(Object.assign(new Error('no space'), { code: 'ENOSPC' }))).toBe('disk-full')
  })
})

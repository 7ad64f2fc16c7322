import { describe, expect, it } from 'vitest'
import { readUrlState, writeUrlState } from '../../../renderer/src/app/url-state'
import { activeFields, matchesFilter, NO_FILTER, queryOf, timeBounds } from '../../../renderer/src/stores/delivery-filter'
import { makeDelivery, summaryOf } from './fake-engine-client'

const NOW = new Date(2025, 5, 1, 15, 30, 0).getTime()

describe('filter model', () => {
  it('turns time presets into bounds at the moment of the query', () => {
    expect(timeBounds({ preset: '15m' }, NOW)).toEqual({ from: NOW - 15 * 60_000 })
    expect(timeBounds({ preset: 'today' }, NOW)).toEqual({ from: new Date(2025, 5, 1).getTime() })
    expect(timeBounds({ from: 5, to: null }, NOW)).toEqual({ from: 5 })
    expect(timeBounds({ from: null, to: 9 }, NOW)).toEqual({ to: 9 })
  })

  it('builds the engine query from the set fields only', () => {
    expect(queryOf(NO_FILTER, NOW)).toEqual({})
    expect(queryOf({ ...NO_FILTER, q: ' x ', verdict: 'valid', code: null, status: 404, eventType: 'push', time: { preset: '1h' } }, NOW)).toEqual({
      q: 'x',
      verdict: 'valid',
      status: 404,
      eventType: 'push',
      from: NOW - 3_600_000
    })
    expect(activeFields({ ...NO_FILTER, scheme: 'stripe', code: null })).toEqual(['scheme'])
  })

  it('matches live deliveries as the engine would', () => {
    const row = summaryOf(
      makeDelivery({
        receivedAt: NOW - 1000,
        responseStatus: 503,
        eventType: 'invoice.paid',
        verdict: { status: 'invalid', scheme: 'stripe', code: 'SIG_MISMATCH' }
      })
    )
    const yes = [
      { verdict: 'invalid' as const },
      { code: 'SIG_MISMATCH' },
      { scheme: 'stripe' },
      { status: 503 },
      { status: '5xx' as const },
      { eventType: 'invoice' },
      { eventType: 'invoice.paid' },
      { time: { preset: '15m' as const } }
    ]
    const no = [
      { verdict: 'valid' as const },
      { code: 'TIMESTAMP_STALE' },
      { scheme: 'github' },
      { status: 500 },
      { status: '4xx' as const },
      { eventType: 'invoice.p' },
      { time: { from: NOW, to: null } },
      { time: { from: null, to: NOW - 1000 } }
    ]
    for (const patch of yes) expect(matchesFilter(row, { ...NO_FILTER, ...patch }, NOW), JSON.stringify(patch)).toBe(true)
    for (const patch of no) expect(matchesFilter(row, { ...NO_FILTER, ...patch }, NOW), JSON.stringify(patch)).toBe(false)
    expect(matchesFilter(row, { ...NO_FILTER, verdict: 'invalid', q: 'x' }, NOW)).toBeNull()
  })
})

describe('filters and selection in the page address', () => {
  it('round-trips every field and keeps the token and run in place', () => {
    const state = {
      filter: {
        q: 'orders #1 & more',
        endpointId: 'default',
        method: 'POST',
        verdict: 'invalid' as const,
        code: 'SIG_MISMATCH',
        scheme: 'stripe',
        status: '4xx' as const,
        eventType: 'invoice.paid',
        time: { preset: 'today' as const }
      },
      selectedId: '01m85j1z1tdr7d6p7x9wnzvyb5'
    }
    const hash = writeUrlState('#token=abc_-1&run=r1', state)
    expect(hash.startsWith('#token=abc_-1&run=r1&')).toBe(true)
    expect(readUrlState(hash)).toEqual(state)
    expect(new URLSearchParams(hash.slice(1)).get('token')).toBe('abc_-1')
  })

  it('writes a custom time range as from/to and an exact status as a number', () => {
    const hash = writeUrlState('', { filter: { ...NO_FILTER, status: 404, time: { from: 1000, to: null } }, selectedId: null })
    expect(hash).toBe('#status=404&from=1000')
    expect(readUrlState(hash).filter).toEqual({ ...NO_FILTER, status: 404, time: { from: 1000, to: null } })
  })

  it('drops what it owns when cleared, and ignores malformed or hostile values', () => {
    expect(writeUrlState('#token=t&verdict=invalid&sel=x1', { filter: NO_FILTER, selectedId: null })).toBe('#token=t')
    expect(readUrlState('#verdict=evil&status=999&code=drop%20table&time=forever&from=abc&sel=<img>')).toEqual({ filter: NO_FILTER, selectedId: null })
  })
})

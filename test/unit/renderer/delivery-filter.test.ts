import { describe, expect, it } from 'vitest'
import { isFilterActive, listParams, matchesFilter, NO_FILTER } from '../../../renderer/src/stores/delivery-filter'
import { makeDelivery, summaryOf } from './fake-engine-client'

describe('delivery filter', () => {
  it('sends only the parts that are set, with trimmed text', () => {
    expect(listParams(NO_FILTER, 500)).toEqual({ limit: 500 })
    expect(listParams({ q: '  stripe ', endpointId: 'a', method: 'POST' }, 10, 'c1')).toEqual({
      limit: 10,
      q: 'stripe',
      endpointId: 'a',
      method: 'POST',
      cursor: 'c1'
    })
    expect(listParams({ q: '   ', endpointId: null, method: null }, 10, null)).toEqual({ limit: 10 })
  })

  it('knows when a filter is active', () => {
    expect(isFilterActive(NO_FILTER)).toBe(false)
    expect(isFilterActive({ ...NO_FILTER, q: ' ' })).toBe(false)
    expect(isFilterActive({ ...NO_FILTER, method: 'GET' })).toBe(true)
  })

  it('decides endpoint and method locally and defers free text to the engine', () => {
    const summary = summaryOf(makeDelivery({ endpointId: 'a', method: 'post' }))
    expect(matchesFilter(summary, NO_FILTER)).toBe(true)
    expect(matchesFilter(summary, { ...NO_FILTER, endpointId: 'b' })).toBe(false)
    expect(matchesFilter(summary, { ...NO_FILTER, method: 'POST' })).toBe(true)
    expect(matchesFilter(summary, { ...NO_FILTER, method: 'GET' })).toBe(false)
    expect(matchesFilter(summary, { ...NO_FILTER, q: 'x' })).toBeNull()
    expect(matchesFilter(summary, { q: 'x', endpointId: 'b', method: null })).toBe(false)
  })
})

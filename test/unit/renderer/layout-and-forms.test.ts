import { describe, expect, it } from 'vitest'
import { describeCounts } from '../../../renderer/src/features/deliveries/describe-counts'
import { targetIndex } from '../../../renderer/src/features/deliveries/list-keys'
import { describeResponse, draftFromResponse, parseHeaderLines, responseFromDraft } from '../../../renderer/src/features/endpoints/response-form'
import { DETAIL_MIN, fitPanes, LIST_MIN, loadPaneSizes, SIDEBAR_MIN, SPLITTER_PX, savePaneSizes } from '../../../renderer/src/features/layout/pane-sizes'
import { formatListTime, formatRelative } from '../../../renderer/src/lib/format'
import { DEFAULT_RESPONSE } from '../../../shared/model/endpoint'

describe('pane sizes', () => {
  const none = { sidebar: null, list: null }

  it('fits three panes from 1,024 px, the detail keeping its minimum', () => {
    for (const width of [1024, 1280, 1400, 1920]) {
      const { sidebar, list } = fitPanes(none, width)
      const detail = width - sidebar - list - 2 * SPLITTER_PX
      expect(sidebar).toBeGreaterThanOrEqual(SIDEBAR_MIN)
      expect(list).toBeGreaterThanOrEqual(LIST_MIN)
      expect(detail).toBeGreaterThanOrEqual(DETAIL_MIN)
    }
  })

  it('keeps a chosen width where it fits and squeezes it where it does not', () => {
    expect(fitPanes({ sidebar: 300, list: 700 }, 1920)).toEqual({ sidebar: 300, list: 700 })
    const squeezed = fitPanes({ sidebar: 300, list: 900 }, 1024)
    expect(1024 - squeezed.sidebar - squeezed.list - 2 * SPLITTER_PX).toBe(DETAIL_MIN)
  })

  it('remembers sizes, and ignores garbage in storage', () => {
    const store = new Map<string, string>()
    const storage = { getItem: (key: string) => store.get(key) ?? null, setItem: (key: string, value: string) => void store.set(key, value) }
    savePaneSizes(storage, { sidebar: 250, list: null })
    expect(loadPaneSizes(storage)).toEqual({ sidebar: 250, list: null })
    store.set('hookscope.panes', '{"sidebar":"wide","list":-5}')
    expect(loadPaneSizes(storage)).toEqual({ sidebar: null, list: null })
    store.set('hookscope.panes', 'not json')
    expect(loadPaneSizes(storage)).toEqual({ sidebar: null, list: null })
  })
})

describe('endpoint response form', () => {
  it('round-trips a response through the draft', () => {
    const response = {
      status: 202,
      headers: [
        ['X-A', '1'],
        ['Content-Type', 'text/plain']
      ] as [string, string][],
      body: 'ok',
      delayMs: 1500,
      failure: { percent: 30, status: 500, body: null }
    }
    const result = responseFromDraft(draftFromResponse(response))
    expect(result).toEqual({ ok: true, response })
    expect(responseFromDraft(draftFromResponse(DEFAULT_RESPONSE))).toEqual({ ok: true, response: DEFAULT_RESPONSE })
  })

  it('says which field is wrong', () => {
    const draft = draftFromResponse(DEFAULT_RESPONSE)
    const result = responseFromDraft({ ...draft, status: '99', delayMs: '70000', failurePercent: '130', headers: 'no colon here' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(Object.keys(result.errors).sort()).toEqual(['delayMs', 'failurePercent', 'headers', 'status'])
    const badFailureStatus = responseFromDraft({ ...draft, failurePercent: '10', failureStatus: '200' })
    expect(badFailureStatus.ok ? null : badFailureStatus.errors).toEqual({ failureStatus: 'an error status from 400 to 599' })
  })

  it('sums up a non-default response for the sidebar', () => {
    expect(describeResponse(DEFAULT_RESPONSE)).toBeNull()
    expect(describeResponse({ ...DEFAULT_RESPONSE, status: 202, delayMs: 1500, failure: { percent: 30, status: 500, body: null } })).toBe(
      'answers 202 · 30% fail with 500 · after 1.5 s'
    )
  })

  it('parses header lines, refusing framing headers and control characters', () => {
    expect(parseHeaderLines('X-A: 1\r\n\nRetry-After:  30 ')).toEqual({
      headers: [
        ['X-A', '1'],
        ['Retry-After', '30']
      ]
    })
    expect(parseHeaderLines('Content-Length: 3')).toEqual({ error: 'line 1: Content-Length is computed by Hookscope' })
    expect(parseHeaderLines('X-A: a\u0000b')).toHaveProperty('error')
    expect(parseHeaderLines('Bad Name: x')).toHaveProperty('error')
  })
})

describe('list helpers', () => {
  it('describes counts the way the issue asks', () => {
    expect(describeCounts({ loaded: 500, total: 100_000, matched: 100_000, filtering: false, hasMore: true })).toBe('500 of 100,000 loaded')
    expect(describeCounts({ loaded: 2, total: 100_000, matched: 2, filtering: true, hasMore: false })).toBe('2 of 100,000 match')
    expect(describeCounts({ loaded: 500, total: 100_000, matched: 7_000, filtering: true, hasMore: true })).toBe('7,000 of 100,000 match · 500 loaded')
    expect(describeCounts({ loaded: 1, total: 1, matched: 1, filtering: false, hasMore: false })).toBe('1 delivery')
    expect(describeCounts({ loaded: 0, total: 10, matched: null, filtering: true, hasMore: false })).toBe('counting matches among 10…')
    expect(describeCounts({ loaded: 500, total: 100_000, matched: 10_000, filtering: true, hasMore: true, capped: true })).toBe(
      '10,000+ of 100,000 match · 500 loaded'
    )
  })

  it('moves with arrows, pages, Home and End', () => {
    expect(targetIndex('ArrowDown', -1, 10, 50)).toBe(0)
    expect(targetIndex('ArrowDown', 49, 10, 50)).toBe(49)
    expect(targetIndex('PageDown', 5, 10, 50)).toBe(15)
    expect(targetIndex('PageDown', 45, 10, 50)).toBe(49)
    expect(targetIndex('PageUp', 5, 10, 50)).toBe(0)
    expect(targetIndex('Home', 30, 10, 50)).toBe(0)
    expect(targetIndex('End', 3, 10, 50)).toBe(49)
    expect(targetIndex('x', 3, 10, 50)).toBeNull()
  })

  it('shows the clock today, a date before, and relative time for tooltips', () => {
    const now = new Date(2025, 5, 10, 12, 0, 0).getTime()
    expect(formatListTime(new Date(2025, 5, 10, 8, 5, 6, 7).getTime(), now)).toBe('08:05:06.007')
    expect(formatListTime(new Date(2025, 5, 9, 23, 59).getTime(), now)).toBe('Jun 09 23:59')
    expect(formatListTime(new Date(2024, 11, 31, 10, 0).getTime(), now)).toBe('Dec 31 2024')
    expect(formatRelative(now - 2000, now)).toBe('just now')
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 minutes ago')
    expect(formatRelative(now - 86_400_000, now)).toBe('1 day ago')
    expect(formatRelative(now + 90_000, now)).toBe('in 1 minute')
  })
})

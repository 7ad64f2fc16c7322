import { describe, expect, it } from 'vitest'
import { createIdGenerator } from '../../../electron/engine/ids'

describe('delivery ids', () => {
  it('are 26 URL-safe characters that sort by time', () => {
    let now = 1_700_000_000_000
    const next = createIdGenerator(() => now)
    const first = next()
    now += 1
    const second = next()
    expect(first).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/)
    expect(first < second).toBe(true)
    expect(first.slice(0, 10) < second.slice(0, 10)).toBe(true)
  })

  it('do not repeat within the same millisecond, across pool refills', () => {
    const next = createIdGenerator(() => 1_700_000_000_000)
    const ids = new Set(Array.from({ length: 5000 }, () => next()))
    expect(ids.size).toBe(5000)
  })
})

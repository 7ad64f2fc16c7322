import { describe, expect, it } from 'vitest'
import { formatBytes, formatClock, formatDuration } from '../../../renderer/src/lib/format'

describe('format', () => {
  it('formats sizes, durations and wall-clock times', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024 * 1024, 300 * 1024].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '10 MiB', '300 KiB'])
    expect([0.4, 999, 1500].map(formatDuration)).toEqual(['0 ms', '999 ms', '1.50 s'])
    expect(formatClock(new Date(2024, 0, 2, 3, 4, 5, 6).getTime())).toBe('03:04:05.006')
  })
})

import { describe, expect, it } from 'vitest'
import { formatSize } from '../../../shared/lib/byte-size'

describe('formatSize', () => {
  it('prints bytes, then KiB and MiB with one decimal', () => {
    expect(formatSize(0)).toBe('0 B')
    expect(formatSize(1023)).toBe('1023 B')
    expect(formatSize(1024)).toBe('1.0 KiB')
    expect(formatSize(2150)).toBe('2.1 KiB')
    expect(formatSize(1024 * 1024 - 1)).toBe('1024.0 KiB')
    expect(formatSize(30 * 1024 * 1024)).toBe('30.0 MiB')
  })
})

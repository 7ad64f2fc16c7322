import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { hexDump, hexDumpRow, hexRowCount } from '../../../shared/lib/hex-dump'

describe('hexDump', () => {
  it('matches `hexdump -C` line for line (minus its trailing total line)', () => {
    const bytes = Uint8Array.from({ length: 37 }, (_, i) => (i * 37 + 11) & 0xff)
    bytes.set([0x48, 0x69, 0x00, 0x7f, 0x20, 0x7e], 0)
    const reference = execFileSync('hexdump', ['-C'], { input: bytes }).toString().trimEnd().split('\n')
    reference.pop() // final offset line
    expect(hexDump(bytes).split('\n')).toEqual(reference)
  })

  it('formats rows independently, padding the last one so the ASCII column aligns', () => {
    const bytes = new TextEncoder().encode('0123456789abcdefXY')
    expect(hexRowCount(bytes.length)).toBe(2)
    expect(hexDumpRow(bytes, 0)).toEqual({
      offset: '00000000',
      hex: '30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66',
      ascii: '0123456789abcdef'
    })
    const last = hexDumpRow(bytes, 1)
    expect(last.offset).toBe('00000010')
    expect(last.hex).toBe('58 59'.padEnd(48))
    expect(last.ascii).toBe('XY')
    expect(hexDump(new Uint8Array(0))).toBe('')
  })
})

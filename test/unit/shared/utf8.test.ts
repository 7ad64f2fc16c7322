import { describe, expect, it } from 'vitest'
import { decodeUtf8, encodeUtf8, isValidUtf8 } from '../../../shared/lib/utf8'

const lenient = new TextDecoder('utf-8', { ignoreBOM: true })
const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function isValidByNode(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes)
    return true
  } catch {
    return false
  }
}

const cases: number[][] = [
  [],
  [0x68, 0x69],
  [0xef, 0xbb, 0xbf, 0x41], // BOM kept
  [0xc3, 0xa9], // é
  [0xe2, 0x82, 0xac], // €
  [0xf0, 0x9f, 0x98, 0x80], // 😀 (surrogate pair)
  [0xc0, 0x80], // overlong NUL
  [0xe0, 0x80, 0x80], // overlong
  [0xed, 0xa0, 0x80], // encoded surrogate
  [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
  [0xf0, 0x9f, 0x98], // truncated at end
  [0xe2, 0x28, 0xa1], // bad continuation, re-processed
  [0x80, 0xbf, 0xfe, 0xff],
  [0xe9, 0x41, 0xc3]
]

describe('utf8', () => {
  it('decodes exactly like TextDecoder, including U+FFFD placement', () => {
    for (const bytes of cases) {
      const input = Uint8Array.from(bytes)
      expect(decodeUtf8(input)).toBe(lenient.decode(input))
      expect(isValidUtf8(input)).toBe(isValidByNode(input))
    }
  })

  it('agrees with TextDecoder on random bytes biased toward multi-byte sequences', () => {
    let x = 42
    for (let round = 0; round < 2000; round++) {
      const bytes = new Uint8Array(1 + (round % 12))
      for (let i = 0; i < bytes.length; i++) {
        x = (x * 1664525 + 1013904223) >>> 0
        const r = x >>> 24
        bytes[i] = r < 64 ? 0x80 + (r & 0x3f) : r < 96 ? 0xc0 + (r & 0x3f) : r < 128 ? 0x41 : r
      }
      expect(decodeUtf8(bytes)).toBe(lenient.decode(bytes))
      expect(isValidUtf8(bytes)).toBe(isValidByNode(bytes))
    }
  })

  it('encodes like TextEncoder, lone surrogates as U+FFFD', () => {
    const encoder = new TextEncoder()
    for (const text of ['', 'plain', 'é€😀', 'a\ud800b', '\udc00', 'x\ud83d']) {
      expect(Array.from(encodeUtf8(text))).toEqual(Array.from(encoder.encode(text)))
    }
  })

  it('decodes a body larger than one fromCharCode chunk', () => {
    const text = 'ü'.repeat(50_000) + '😀'.repeat(10_000)
    const bytes = new TextEncoder().encode(text)
    expect(decodeUtf8(bytes)).toBe(text)
  })
})

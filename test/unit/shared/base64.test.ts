import { describe, expect, it } from 'vitest'
import { decodeBase64, encodeBase64 } from '../../../shared/lib/base64'

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

describe('base64', () => {
  it('matches Node Buffer for every tail length and all byte values', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = pseudoRandomBytes(length, length + 1)
      const expected = Buffer.from(bytes).toString('base64')
      expect(encodeBase64(bytes)).toBe(expected)
      expect(Array.from(decodeBase64(expected))).toEqual(Array.from(bytes))
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(encodeBase64(all)).toBe(Buffer.from(all).toString('base64'))
  })

  it('round-trips a large body (chunked joining)', () => {
    const bytes = pseudoRandomBytes(300_001, 7)
    const text = encodeBase64(bytes)
    expect(text).toBe(Buffer.from(bytes).toString('base64'))
    expect(Buffer.from(decodeBase64(text)).equals(Buffer.from(bytes))).toBe(true)
  })

  it('rejects malformed input instead of decoding garbage', () => {
    expect(() => decodeBase64('abc')).toThrow(/multiple of 4/)
    expect(() => decodeBase64('ab!d')).toThrow(/invalid character/)
    expect(() => decodeBase64('a=bc')).toThrow(/invalid character/)
    expect(() => decodeBase64('ab==abcd')).toThrow(/invalid character/)
    expect(() => decodeBase64('aé==')).toThrow(/invalid character/)
    expect(decodeBase64('')).toEqual(new Uint8Array(0))
  })
})

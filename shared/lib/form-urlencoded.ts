import { decodeUtf8 } from './utf8'

/**
 * application/x-www-form-urlencoded parsing as the WHATWG URL spec defines it, on bytes: '+' is a
 * space, bad percent escapes stay literal, names and values are UTF-8 with U+FFFD for bad bytes.
 * Pairs keep their order and duplicates (URLSearchParams would too, but is not available in shared/).
 */
export function parseFormUrlencoded(bytes: Uint8Array): Array<[name: string, value: string]> {
  const pairs: Array<[string, string]> = []
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x26, start) // '&'
    if (end < 0) end = bytes.length
    if (end > start) {
      const sequence = bytes.subarray(start, end)
      const eq = sequence.indexOf(0x3d) // '='
      const name = eq < 0 ? sequence : sequence.subarray(0, eq)
      const value = eq < 0 ? new Uint8Array(0) : sequence.subarray(eq + 1)
      pairs.push([decodeUtf8(percentDecode(name)), decodeUtf8(percentDecode(value))])
    }
    start = end + 1
  }
  return pairs
}

function percentDecode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input.length)
  let o = 0
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!
    if (byte === 0x2b) {
      out[o++] = 0x20
      continue
    }
    if (byte === 0x25 && i + 2 < input.length) {
      const high = hexValue(input[i + 1])
      const low = hexValue(input[i + 2])
      if (high >= 0 && low >= 0) {
        out[o++] = (high << 4) | low
        i += 2
        continue
      }
    }
    out[o++] = byte
  }
  return out.subarray(0, o)
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  const lower = byte | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

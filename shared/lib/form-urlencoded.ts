import type { Clock, Cutoff } from './budget'
import { Deadline, IntColumn } from './budget'
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

/** Form fields for a windowed table: names and values back to back in one string. */
export interface FormDoc {
  pool: string
  /** Field i's name is `pool[nameStarts[i], valueStarts[i])`, its value `pool[valueStarts[i], valueEnds[i])`. */
  nameStarts: Int32Array<ArrayBuffer>
  valueStarts: Int32Array<ArrayBuffer>
  valueEnds: Int32Array<ArrayBuffer>
  /** Why the body cannot be form data (the view says "Not form data"), or null. */
  notForm: string | null
  cutoff: Cutoff | null
}

/**
 * parseFormUrlencoded with a budget (fields, time) and a verdict on whether the body is form data
 * at all: every body parses as *something*, so a JSON or XML body would show as one odd field.
 * `decode` turns UTF-8 bytes into text (TextDecoder in a browser; the pure decoder by default).
 */
export function formFields(
  bytes: Uint8Array,
  limits: { maxFields: number; maxMillis: number },
  clock: Clock,
  decode: (bytes: Uint8Array) => string = decodeUtf8
): FormDoc {
  const notForm = whyNotForm(bytes)
  const pieces: string[] = []
  const nameStarts = new IntColumn()
  const valueStarts = new IntColumn()
  const valueEnds = new IntColumn()
  const deadline = new Deadline(clock, limits.maxMillis, 256)
  let length = 0
  let cutoff: Cutoff | null = null
  const add = (piece: string): void => {
    pieces.push(piece)
    length += piece.length
  }
  let start = 0
  while (!notForm && start <= bytes.length) {
    let end = bytes.indexOf(0x26, start) // '&'
    if (end < 0) end = bytes.length
    if (end > start) {
      if (nameStarts.length >= limits.maxFields) {
        cutoff = { limit: 'items', at: nameStarts.length, unit: 'fields' }
        break
      }
      if (deadline.passed()) {
        cutoff = { limit: 'time', at: limits.maxMillis, unit: 'ms' }
        break
      }
      const sequence = bytes.subarray(start, end)
      const eq = sequence.indexOf(0x3d) // '='
      nameStarts.push(length)
      add(decode(percentDecode(eq < 0 ? sequence : sequence.subarray(0, eq))))
      valueStarts.push(length)
      if (eq >= 0) add(decode(percentDecode(sequence.subarray(eq + 1))))
      valueEnds.push(length)
    }
    start = end + 1
  }
  return {
    pool: pieces.join(''),
    nameStarts: nameStarts.toArray(),
    valueStarts: valueStarts.toArray(),
    valueEnds: valueEnds.toArray(),
    notForm,
    cutoff
  }
}

/**
 * Encoders percent-encode spaces, line breaks, quotes and brackets, so raw ones mean the body is
 * something else. Lenient on the rest: senders put raw UTF-8 in form bodies, and a final newline.
 */
function whyNotForm(bytes: Uint8Array): string | null {
  let end = bytes.length
  if (bytes[end - 1] === 0x0a) end--
  if (bytes[end - 1] === 0x0d) end--
  if (end === 0) return 'the body is empty'
  const first = bytes[0]!
  if (first === 0x7b || first === 0x5b) return "it starts with '{' or '[' (JSON?)"
  if (first === 0x3c) return "it starts with '<' (markup?)"
  let equals = false
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!
    if (b === 0x3d) equals = true
    else if (b <= 0x20 || b === 0x7f)
      return `it contains ${b === 0x20 ? 'a space' : b === 0x0a ? 'a line break' : 'a control character'}, which form encoding escapes`
    else if (b === 0x22) return 'it contains a double quote, which form encoding escapes'
  }
  return equals ? null : "it has no '=' (no name=value pair)"
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

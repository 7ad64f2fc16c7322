import type { RawHeader } from '../model/delivery'
import { decodeUtf8, encodeUtf8, isValidUtf8 } from './utf8'

/**
 * Header values are kept as the bytes that were sent, in Node's "byte string" form: one char per
 * byte (latin1). What people read is text: a value whose bytes are valid UTF-8 is shown decoded; any
 * other value is shown as its bytes read as Latin-1 and listed by index, so the exact bytes can
 * always be rebuilt (README: "Header bytes").
 */
export interface HeaderText {
  headers: RawHeader[]
  /** Indexes into `headers` whose value is not UTF-8: each character is one byte (Latin-1). */
  latin1: number[]
}

export function headersAsText(headers: readonly RawHeader[]): HeaderText {
  const latin1: number[] = []
  const text = headers.map(([name, value], index): RawHeader => {
    const decoded = byteStringAsText(value)
    if (decoded === null) latin1.push(index)
    return [name, decoded ?? value]
  })
  return { headers: text, latin1 }
}

/** The UTF-8 text a byte string encodes, or null when its bytes are not UTF-8. ASCII costs one scan. */
export function byteStringAsText(value: string): string | null {
  if (isAscii(value)) return value
  const bytes = byteStringBytes(value)
  return isValidUtf8(bytes) ? decodeUtf8(bytes) : null
}

/** The byte string (one char per byte) of a text sent as UTF-8: the inverse of byteStringAsText. */
export function textAsByteString(text: string): string {
  if (isAscii(text)) return text
  let out = ''
  for (const byte of encodeUtf8(text)) out += String.fromCharCode(byte)
  return out
}

/** Rebuilds the sent header lines from their text form (`headersAsText`'s output). */
export function headersFromText({ headers, latin1 }: HeaderText): RawHeader[] {
  const asBytes = new Set(latin1)
  return headers.map(([name, value], index) => [name, asBytes.has(index) ? value : textAsByteString(value)])
}

function byteStringBytes(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length)
  for (let i = 0; i < value.length; i++) bytes[i] = value.charCodeAt(i) & 0xff
  return bytes
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false
  return true
}

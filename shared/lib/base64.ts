/**
 * Standard base64 (RFC 4648 §4, with padding) for Uint8Array. Pure on purpose: shared/ has no DOM
 * or Node globals (no atob/btoa/Buffer), and bodies are bytes, not Latin-1 strings.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

const DECODE_TABLE = (() => {
  const table = new Int16Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i
  return table
})()

export function encodeBase64(bytes: Uint8Array): string {
  // Chunks of code units joined once: string concatenation per byte is quadratic-ish on big bodies.
  const parts: string[] = []
  const chunk: string[] = []
  const full = bytes.length - (bytes.length % 3)
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    chunk.push(ALPHABET[n >>> 18]!, ALPHABET[(n >>> 12) & 63]!, ALPHABET[(n >>> 6) & 63]!, ALPHABET[n & 63]!)
    if (chunk.length >= 8192) {
      parts.push(chunk.join(''))
      chunk.length = 0
    }
  }
  const rest = bytes.length - full
  if (rest === 1) {
    const n = bytes[full]! << 16
    chunk.push(ALPHABET[n >>> 18]!, ALPHABET[(n >>> 12) & 63]!, '==')
  } else if (rest === 2) {
    const n = (bytes[full]! << 16) | (bytes[full + 1]! << 8)
    chunk.push(ALPHABET[n >>> 18]!, ALPHABET[(n >>> 12) & 63]!, ALPHABET[(n >>> 6) & 63]!, '=')
  }
  parts.push(chunk.join(''))
  return parts.join('')
}

/** Throws on anything that is not canonical padded base64: a corrupt body must not decode silently. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  if (text.length % 4 !== 0) throw new Error('base64: length is not a multiple of 4')
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const out = new Uint8Array((text.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const cPad = last && padding === 2
    const dPad = last && padding >= 1
    const c = cPad ? 0 : sextet(text, i + 2)
    const d = dPad ? 0 : sextet(text, i + 3)
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >>> 16
    if (!cPad) out[o++] = (n >>> 8) & 255
    if (!dPad) out[o++] = n & 255
  }
  return out
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index)
  const value = code < 128 ? DECODE_TABLE[code]! : -1
  if (value < 0) throw new Error(`base64: invalid character at ${index}`)
  return value
}

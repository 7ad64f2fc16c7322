/**
 * UTF-8 without TextEncoder/TextDecoder (not declared in shared/, which has no DOM or Node types).
 * decodeUtf8 follows the WHATWG decoder, so it yields exactly what `new TextDecoder()` would,
 * including where U+FFFD replaces malformed sequences.
 */

const REPLACEMENT = 0xfffd

export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = []
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i)
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (next - 0xdc00)
        i++
      } else {
        cp = REPLACEMENT
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      cp = REPLACEMENT
    }
    if (cp < 0x80) out.push(cp)
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63))
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63))
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63))
  }
  return Uint8Array.from(out)
}

/** Runs the WHATWG UTF-8 decoder; `emit` receives code points (U+FFFD for each error). Returns the error count. */
function runDecoder(bytes: Uint8Array, emit: ((codePoint: number) => void) | null): number {
  let errors = 0
  let needed = 0
  let seen = 0
  let codePoint = 0
  let lower = 0x80
  let upper = 0xbf
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (needed === 0) {
      if (byte <= 0x7f) emit?.(byte)
      else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1
        codePoint = byte & 0x1f
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0
        if (byte === 0xed) upper = 0x9f
        needed = 2
        codePoint = byte & 0xf
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90
        if (byte === 0xf4) upper = 0x8f
        needed = 3
        codePoint = byte & 0x7
      } else {
        errors++
        emit?.(REPLACEMENT)
      }
      continue
    }
    if (byte < lower || byte > upper) {
      // The spec "prepends" the byte back to the stream: it may start the next sequence.
      needed = seen = codePoint = 0
      lower = 0x80
      upper = 0xbf
      errors++
      emit?.(REPLACEMENT)
      i--
      continue
    }
    lower = 0x80
    upper = 0xbf
    codePoint = (codePoint << 6) | (byte & 0x3f)
    if (++seen === needed) {
      emit?.(codePoint)
      needed = seen = codePoint = 0
    }
  }
  if (needed !== 0) {
    errors++
    emit?.(REPLACEMENT)
  }
  return errors
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  return runDecoder(bytes, null) === 0
}

/** Lenient decode, identical to `new TextDecoder('utf-8', { ignoreBOM: true })`: a BOM is kept, since an inspector shows what was sent. */
export function decodeUtf8(bytes: Uint8Array): string {
  const parts: string[] = []
  let units: number[] = []
  runDecoder(bytes, (cp) => {
    if (cp > 0xffff) {
      const v = cp - 0x10000
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff))
    } else {
      units.push(cp)
    }
    // fromCharCode takes its arguments on the stack: flush in bounded chunks.
    if (units.length >= 8192) {
      parts.push(String.fromCharCode(...units))
      units = []
    }
  })
  parts.push(String.fromCharCode(...units))
  return parts.join('')
}

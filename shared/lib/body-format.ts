import { isFormMediaType, isJsonMediaType, isXmlMediaType, parseContentType } from './content-type'
import { decodeUtf8, isValidUtf8 } from './utf8'

/** How a body is best shown. The inspector picks its default tab from this. */
export type BodyFormat = 'empty' | 'json' | 'form' | 'xml' | 'text' | 'binary'

/** Senders often mislabel (AWS SNS posts JSON as text/plain): these media types get sniffed. */
const SNIFFED_MEDIA_TYPES = new Set(['', 'text/plain', 'application/octet-stream', 'binary/octet-stream'])
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii'])
/** Sniffing parses the whole body; beyond this a declared type is needed to pick JSON. */
const MAX_SNIFF_PARSE_BYTES = 4 * 1024 * 1024

/**
 * Decides from the declared Content-Type first, then from the bytes. Bytes win over a declaration
 * when they cannot be text at all (a "JSON" body that is not UTF-8 is shown as binary).
 */
export function detectBodyFormat(contentType: string | null, bytes: Uint8Array): BodyFormat {
  if (bytes.length === 0) return 'empty'
  const { mediaType, charset } = parseContentType(contentType)
  // A declared legacy charset (latin1, windows-1252…) makes non-UTF-8 bytes legitimate text.
  const legacyCharset = charset !== null && !UTF8_CHARSETS.has(charset)
  if (hasBinaryControlBytes(bytes) || (!legacyCharset && !isValidUtf8(bytes))) return 'binary'

  if (isJsonMediaType(mediaType)) return 'json'
  if (isFormMediaType(mediaType)) return 'form'
  if (isXmlMediaType(mediaType)) return 'xml'
  if (!SNIFFED_MEDIA_TYPES.has(mediaType)) return 'text'
  return sniffText(bytes, legacyCharset)
}

function sniffText(bytes: Uint8Array, legacyCharset: boolean): BodyFormat {
  const first = firstNonWhitespaceByte(bytes)
  if (!legacyCharset && (first === 0x7b || first === 0x5b) && bytes.length <= MAX_SNIFF_PARSE_BYTES) {
    if (isJson(decodeUtf8(bytes))) return 'json'
  }
  if (first === 0x3c && looksLikeMarkup(bytes)) return 'xml'
  return 'text'
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    return true
  } catch {
    return false
  }
}

/** `<` then a name start, `?` or `!`, and the text ends with `>`. */
function looksLikeMarkup(bytes: Uint8Array): boolean {
  let start = 0
  while (start < bytes.length && isWhitespace(bytes[start]!)) start++
  let end = bytes.length - 1
  while (end > start && isWhitespace(bytes[end]!)) end--
  const second = bytes[start + 1] ?? 0
  const nameStart = (second | 0x20) >= 0x61 && (second | 0x20) <= 0x7a
  return bytes[end] === 0x3e && (nameStart || second === 0x3f || second === 0x21 || second === 0x5f)
}

function firstNonWhitespaceByte(bytes: Uint8Array): number {
  let i = 0
  // Skip a UTF-8 BOM: some Windows senders prefix JSON with one.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3
  for (; i < bytes.length; i++) if (!isWhitespace(bytes[i]!)) return bytes[i]!
  return -1
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d
}

/** C0 controls no text format uses (tab, LF, VT, FF, CR and ESC are allowed). NUL is the classic binary tell. */
function hasBinaryControlBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b < 0x20 && (b < 0x09 || (b > 0x0d && b !== 0x1b))) return true
  }
  return false
}

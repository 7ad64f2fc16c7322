import type { RawHeader } from '../model/delivery'
import type { Clock, Cutoff } from './budget'
import { Deadline } from './budget'

/**
 * multipart/* bodies (RFC 2046 §5.1, form-data as RFC 7578 uses it) cut into parts: each part's
 * header lines as sent and the byte range of its body in the original bytes (nothing is copied).
 * Lenient as receivers are: LF-only line ends, a missing final delimiter (a truncated body), a
 * boundary sniffed from the first line when the Content-Type has none.
 */

export interface MultipartPart {
  headers: RawHeader[]
  /** Body bytes are `bytes.subarray(bodyStart, bodyEnd)`. */
  bodyStart: number
  bodyEnd: number
  /** More header lines than `maxHeaders` were sent; the rest are not listed. */
  headersClipped: boolean
}

export interface MultipartDoc {
  boundary: string | null
  parts: MultipartPart[]
  /** Why this is not multipart (no boundary, or no delimiter in the body), or null. */
  notMultipart: string | null
  /** A recoverable problem, e.g. the closing delimiter is missing. */
  problem: string | null
  cutoff: Cutoff | null
}

export interface MultipartLimits {
  maxParts: number
  maxHeaders: number
  maxMillis: number
}

/** RFC 2046 caps boundaries at 70 characters. */
const MAX_BOUNDARY = 70
const MAX_HEADER_LINE = 16 * 1024

export function parseMultipart(bytes: Uint8Array, declaredBoundary: string | null, limits: MultipartLimits, clock: Clock): MultipartDoc {
  const boundary = declaredBoundary ?? sniffBoundary(bytes)
  const empty = { parts: [], problem: null, cutoff: null }
  if (!boundary) return { ...empty, boundary: null, notMultipart: 'no boundary: the Content-Type names none and the body does not start with one' }
  const delimiter = latin1Bytes('--' + boundary)
  let at = indexOfBytes(bytes, delimiter, 0)
  if (at < 0) return { ...empty, boundary, notMultipart: `the boundary "${boundary.slice(0, MAX_BOUNDARY)}" does not occur in the body` }

  const parts: MultipartPart[] = []
  const deadline = new Deadline(clock, limits.maxMillis, 16)
  let problem: string | null = null
  let cutoff: Cutoff | null = null
  for (;;) {
    let pos = at + delimiter.length
    if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) break // "--": the close delimiter
    // Transport padding, then the line end after the delimiter.
    while (bytes[pos] === 0x20 || bytes[pos] === 0x09) pos++
    if (bytes[pos] === 0x0d) pos++
    if (bytes[pos] === 0x0a) pos++
    if (parts.length >= limits.maxParts) {
      cutoff = { limit: 'items', at: parts.length, unit: 'parts' }
      break
    }
    if (deadline.passed()) {
      cutoff = { limit: 'time', at: limits.maxMillis, unit: 'ms' }
      break
    }
    const head = readHeaders(bytes, pos, limits.maxHeaders)
    const next = indexOfBytes(bytes, delimiter, head.end)
    if (next < 0) {
      problem = 'the closing delimiter is missing (a truncated body?)'
      parts.push({ headers: head.headers, bodyStart: head.end, bodyEnd: bytes.length, headersClipped: head.clipped })
      break
    }
    // The line end before a delimiter belongs to the delimiter.
    let bodyEnd = next
    if (bytes[bodyEnd - 1] === 0x0a) bodyEnd--
    if (bytes[bodyEnd - 1] === 0x0d) bodyEnd--
    parts.push({ headers: head.headers, bodyStart: head.end, bodyEnd: Math.max(head.end, bodyEnd), headersClipped: head.clipped })
    at = next
  }
  return { boundary, parts, notMultipart: null, problem, cutoff }
}

/** `--boundary` then a line end, at the very start of the body. */
function sniffBoundary(bytes: Uint8Array): string | null {
  if (bytes[0] !== 0x2d || bytes[1] !== 0x2d) return null
  let end = 2
  while (end < bytes.length && end < 2 + MAX_BOUNDARY + 1 && bytes[end] !== 0x0d && bytes[end] !== 0x0a) end++
  if (end === 2 || end > 2 + MAX_BOUNDARY || (bytes[end] !== 0x0d && bytes[end] !== 0x0a)) return null
  return latin1(bytes.subarray(2, end)).trimEnd()
}

/** Header lines up to the blank line; each line as latin1 (one char per byte), as Node gives headers. */
function readHeaders(bytes: Uint8Array, start: number, maxHeaders: number): { headers: RawHeader[]; end: number; clipped: boolean } {
  const headers: RawHeader[] = []
  let clipped = false
  let pos = start
  for (;;) {
    let lineEnd = bytes.indexOf(0x0a, pos)
    if (lineEnd < 0) lineEnd = bytes.length
    let contentEnd = lineEnd
    if (bytes[contentEnd - 1] === 0x0d && contentEnd > pos) contentEnd--
    const next = Math.min(bytes.length, lineEnd + 1)
    if (contentEnd === pos) return { headers, end: next, clipped }
    const line = latin1(bytes.subarray(pos, Math.min(contentEnd, pos + MAX_HEADER_LINE)))
    const colon = line.indexOf(':')
    if (colon < 0) {
      // No header block: the part starts with its body.
      if (headers.length === 0) return { headers, end: pos, clipped }
    } else if (headers.length < maxHeaders) {
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()])
    } else {
      clipped = true
    }
    if (next >= bytes.length) return { headers, end: bytes.length, clipped }
    pos = next
  }
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!
  for (let i = haystack.indexOf(first, from); i >= 0 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
    let j = 1
    while (j < needle.length && haystack[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
}

function latin1(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192))
  return out
}

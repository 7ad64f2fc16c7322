import { type Change, diffJson, diffLines } from 'diff'
import type { RawHeader } from '../../../../shared/model/delivery'

/**
 * What differs between two requests or responses: headers by name (case-insensitive, in the order
 * they first appear) and bodies as lines, JSON-aware (both bodies JSON: compared as canonical
 * JSON, so key order and whitespace do not count as changes; `diff`'s diffJson). Bytes that are not
 * UTF-8 are compared as bytes only. Everything stays text: the view never renders it as HTML.
 */
export type HeaderChange = 'same' | 'changed' | 'added' | 'removed'

export interface HeaderDiffRow {
  name: string
  left: string[]
  right: string[]
  change: HeaderChange
}

export interface DiffLine {
  op: 'same' | 'add' | 'remove'
  text: string
}

export type BodyDiff =
  | { kind: 'json' | 'text'; equal: boolean; lines: DiffLine[] }
  | { kind: 'binary'; equal: boolean; leftSize: number; rightSize: number }
  | { kind: 'too-large'; equal: boolean; leftSize: number; rightSize: number }

/** Past this, a line diff would stall the UI; the sizes and equality are still shown. */
export const MAX_DIFF_BYTES = 512 * 1024

export function diffHeaders(left: readonly RawHeader[], right: readonly RawHeader[]): HeaderDiffRow[] {
  const rows = new Map<string, HeaderDiffRow>()
  const add = (side: 'left' | 'right', [name, value]: RawHeader) => {
    const key = name.toLowerCase()
    let row = rows.get(key)
    if (!row) {
      row = { name, left: [], right: [], change: 'same' }
      rows.set(key, row)
    }
    row[side].push(value)
  }
  for (const header of left) add('left', header)
  for (const header of right) add('right', header)
  for (const row of rows.values()) {
    row.change = row.left.length === 0 ? 'added' : row.right.length === 0 ? 'removed' : sameValues(row.left, row.right) ? 'same' : 'changed'
  }
  return [...rows.values()]
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index])
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function text(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes)
  } catch {
    return null
  }
}

function json(value: string): { ok: true; value: unknown } | { ok: false } {
  const trimmed = value.trim()
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { ok: false }
  try {
    return { ok: true, value: JSON.parse(trimmed) as unknown }
  } catch {
    return { ok: false }
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index])
}

function toLines(changes: Change[]): DiffLine[] {
  const lines: DiffLine[] = []
  for (const change of changes) {
    const op = change.added ? 'add' : change.removed ? 'remove' : 'same'
    const parts = change.value.split('\n')
    if (parts[parts.length - 1] === '') parts.pop()
    for (const part of parts) lines.push({ op, text: part })
  }
  return lines
}

export function diffBodies(left: Uint8Array, right: Uint8Array): BodyDiff {
  const equal = bytesEqual(left, right)
  if (left.length > MAX_DIFF_BYTES || right.length > MAX_DIFF_BYTES) return { kind: 'too-large', equal, leftSize: left.length, rightSize: right.length }
  const [a, b] = [text(left), text(right)]
  if (a === null || b === null) return { kind: 'binary', equal, leftSize: left.length, rightSize: right.length }
  const [ja, jb] = [json(a), json(b)]
  if (ja.ok && jb.ok) return { kind: 'json', equal, lines: toLines(diffJson(ja.value as object, jb.value as object)) }
  return { kind: 'text', equal, lines: toLines(diffLines(a, b)) }
}

/** Long runs of unchanged lines fold to "N unchanged lines", keeping `context` lines around each change. */
export type FoldedLine = DiffLine | { op: 'fold'; count: number }

export function foldUnchanged(lines: readonly DiffLine[], context = 3): FoldedLine[] {
  const keep = lines.map((line) => line.op !== 'same')
  const near = lines.map((_, index) => {
    for (let offset = -context; offset <= context; offset++) if (keep[index + offset]) return true
    return false
  })
  const out: FoldedLine[] = []
  for (let index = 0; index < lines.length; index++) {
    if (near[index]) {
      out.push(lines[index]!)
      continue
    }
    const last = out[out.length - 1]
    if (last && last.op === 'fold') last.count++
    else out.push({ op: 'fold', count: 1 })
  }
  return out
}

/**
 * Find-in-body: every place a query occurs, case-insensitively, as offsets into the text. A
 * literal search (the query is escaped, never a pattern), without the `u` flag, so each hit is
 * exactly `query.length` characters long and offsets line up with the text shown. Capped: a
 * one-letter query in a 10 MiB body stops at `maxHits`.
 */
export interface FoundText {
  /** Offsets of the hits, ascending. */
  starts: number[]
  length: number
  /** More hits exist than `maxHits`. */
  capped: boolean
}

export const MAX_FIND_HITS = 10_000

export function findText(text: string, query: string, maxHits = MAX_FIND_HITS): FoundText {
  const starts: number[] = []
  if (query.length === 0) return { starts, length: 0, capped: false }
  const pattern = new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi')
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (starts.length >= maxHits) return { starts, length: query.length, capped: true }
    starts.push(match.index)
  }
  return { starts, length: query.length, capped: false }
}

/** Index of the first entry of the ascending `sorted` that is greater than `value` (binary search). */
export function upperBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (sorted[mid]! <= value) low = mid + 1
    else high = mid
  }
  return low
}

/** Hits that overlap `[from, to)`, relative to `from`; `active` is the index of the current hit. */
export function hitsIn(found: FoundText, from: number, to: number, active: number): Array<{ start: number; end: number; active: boolean }> {
  const out: Array<{ start: number; end: number; active: boolean }> = []
  if (found.length === 0) return out
  for (let i = Math.max(0, upperBound(found.starts, from - found.length)); i < found.starts.length; i++) {
    const start = found.starts[i]!
    if (start >= to) break
    if (start + found.length <= from) continue
    out.push({ start: start - from, end: start + found.length - from, active: i === active })
  }
  return out
}

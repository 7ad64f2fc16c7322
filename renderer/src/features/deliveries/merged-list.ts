import type { DeliverySummary, RejectedConnection } from '../../../../shared/model/delivery'
import { activeFields, type DeliveryFilter, timeBounds } from '../../stores/delivery-filter'

/**
 * The live list is the deliveries (up to 100,000 rows) with the few refused connections (at most a
 * few hundred) interleaved by time. Nothing is copied: the refused ones get positions among the
 * rows (a binary search each), and an index is resolved with one more binary search, so a list
 * update costs O(m log n) for m refused connections, whatever the number of rows.
 */
export interface MergedList {
  rows: readonly DeliverySummary[]
  /** The refused connections shown, newest first. */
  placed: readonly RejectedConnection[]
  /** For each placed connection, how many rows come before it: non-decreasing. */
  rowsBefore: readonly number[]
  /** Rows plus placed connections. */
  count: number
}

export type ListItem = { kind: 'delivery'; row: DeliverySummary; rowIndex: number } | { kind: 'rejected'; connection: RejectedConnection }

export interface MergeOptions {
  filter: DeliveryFilter
  /** No older page left to load: connections older than every row go at the end. */
  complete: boolean
}

/**
 * Refused connections carry no method, path, headers, body, verdict or answer: any such filter
 * hides them; an endpoint filter keeps that endpoint's, a time range those within it.
 */
export function rejectedMatchesFilter(connection: RejectedConnection, filter: DeliveryFilter, now: number = Date.now()): boolean {
  return rejectedMatcher(filter, now)(connection)
}

/** The same test, with what depends only on the filter worked out once (a merge runs it per connection). */
function rejectedMatcher(filter: DeliveryFilter, now: number): (connection: RejectedConnection) => boolean {
  if (filter.q.trim() !== '' || activeFields(filter).some((field) => field !== 'endpointId' && field !== 'time')) return () => false
  const { from, to } = filter.time ? timeBounds(filter.time, now) : {}
  const endpointId = filter.endpointId
  return (connection) =>
    (from === undefined || connection.at >= from) && (to === undefined || connection.at < to) && (endpointId === null || connection.endpointId === endpointId)
}

/**
 * `rows` newest first (by receivedAt), `rejected` newest first (by at). A connection older than
 * every loaded row waits while older pages remain (it would otherwise sit between the loaded rows
 * and the ones still to come).
 */
export function mergeRejected(rows: readonly DeliverySummary[], rejected: readonly RejectedConnection[], options: MergeOptions): MergedList {
  const placed: RejectedConnection[] = []
  const rowsBefore: number[] = []
  let floor = 0
  const matches = rejectedMatcher(options.filter, Date.now())
  for (const connection of rejected) {
    if (!matches(connection)) continue
    // Rows with the same millisecond come after the refused connection; max() keeps the order even
    // if receivedAt is not strictly sorted (a slow upload can commit after a faster, later one).
    const before = Math.max(floor, countNewer(rows, connection.at))
    if (before === rows.length && !options.complete) break
    placed.push(connection)
    rowsBefore.push(before)
    floor = before
  }
  return { rows, placed, rowsBefore, count: rows.length + placed.length }
}

/** How many of the leading rows are newer than `at` (first index whose receivedAt <= at). */
function countNewer(rows: readonly DeliverySummary[], at: number): number {
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (rows[mid]!.receivedAt <= at) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Smallest j whose position (rowsBefore[j] + j) is at least `index`; placed.length if none. */
function firstPlacedAtOrAfter(list: MergedList, index: number): number {
  let lo = 0
  let hi = list.placed.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list.rowsBefore[mid]! + mid >= index) hi = mid
    else lo = mid + 1
  }
  return lo
}

export function itemAt(list: MergedList, index: number): ListItem | undefined {
  if (index < 0 || index >= list.count) return undefined
  const j = firstPlacedAtOrAfter(list, index)
  if (j < list.placed.length && list.rowsBefore[j]! + j === index) return { kind: 'rejected', connection: list.placed[j]! }
  // j placed connections come before this index.
  const rowIndex = index - j
  const row = list.rows[rowIndex]
  return row ? { kind: 'delivery', row, rowIndex } : undefined
}

/** Stable React/virtualizer key: refused connections are prefixed so they can never collide with a delivery id. */
export function itemKey(item: ListItem): string {
  return item.kind === 'delivery' ? item.row.id : `rejected:${item.connection.id}`
}

/** The list index of the row at `rowIndex`. */
export function indexOfRow(list: MergedList, rowIndex: number): number {
  // Placed connections before this row: those with rowsBefore <= rowIndex.
  let lo = 0
  let hi = list.placed.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list.rowsBefore[mid]! <= rowIndex) lo = mid + 1
    else hi = mid
  }
  return rowIndex + lo
}

/** The list index of a placed refused connection, or -1. */
export function indexOfRejected(list: MergedList, id: string): number {
  const j = list.placed.findIndex((connection) => connection.id === id)
  return j < 0 ? -1 : list.rowsBefore[j]! + j
}

/** The list index of a key from itemKey, or -1. Scans the rows (bounded by `rowScanLimit`). */
export function indexOfKey(list: MergedList, key: string, rowScanLimit = list.rows.length): number {
  if (key.startsWith('rejected:')) return indexOfRejected(list, key.slice('rejected:'.length))
  const limit = Math.min(list.rows.length, rowScanLimit)
  for (let i = 0; i < limit; i++) if (list.rows[i]!.id === key) return indexOfRow(list, i)
  return -1
}

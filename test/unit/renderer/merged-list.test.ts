import { describe, expect, it } from 'vitest'
import {
  indexOfKey,
  indexOfRejected,
  indexOfRow,
  itemAt,
  itemKey,
  type ListItem,
  type MergedList,
  mergeRejected
} from '../../../renderer/src/features/deliveries/merged-list'
import { NO_FILTER } from '../../../renderer/src/stores/delivery-filter'
import type { DeliverySummary, RejectedConnection } from '../../../shared/model/delivery'
import { makeDelivery, makeRejected, summaryOf } from './fake-engine-client'

/** Rows newest first at the given times. */
function rowsAt(times: number[]): DeliverySummary[] {
  return times.map((receivedAt) => summaryOf(makeDelivery({ receivedAt })))
}

function rejectedAt(times: number[], endpointId = 'default'): RejectedConnection[] {
  return times.map((at) => makeRejected({ at, endpointId }))
}

/** `d<time>` / `r<time>` per list position. */
function render(list: MergedList): string[] {
  return Array.from({ length: list.count }, (_, index) => {
    const item = itemAt(list, index)!
    return item.kind === 'delivery' ? `d${item.row.receivedAt}` : `r${item.connection.at}`
  })
}

describe('merged delivery list', () => {
  it('interleaves refused connections by time, newest first', () => {
    const list = mergeRejected(rowsAt([90, 70, 50, 30]), rejectedAt([95, 60, 59, 10]), { filter: NO_FILTER, complete: true })
    expect(render(list)).toEqual(['r95', 'd90', 'd70', 'r60', 'r59', 'd50', 'd30', 'r10'])
    expect(list.count).toBe(8)
  })

  it('holds back connections older than every loaded row while older pages remain', () => {
    const list = mergeRejected(rowsAt([90, 70]), rejectedAt([80, 20, 10]), { filter: NO_FILTER, complete: false })
    expect(render(list)).toEqual(['d90', 'r80', 'd70'])
  })

  it('puts a connection before rows of the same millisecond, and keeps order on unsorted rows', () => {
    expect(render(mergeRejected(rowsAt([50, 50]), rejectedAt([50]), { filter: NO_FILTER, complete: true }))).toEqual(['r50', 'd50', 'd50'])
    // A slow upload committed after a later one: positions never go backwards.
    const list = mergeRejected(rowsAt([90, 40, 60, 20]), rejectedAt([70, 50]), { filter: NO_FILTER, complete: true })
    expect(list.rowsBefore).toEqual([...list.rowsBefore].sort((a, b) => a - b))
    expect(render(list).filter((key) => key.startsWith('d'))).toEqual(['d90', 'd40', 'd60', 'd20'])
  })

  it('follows the filter: endpoint keeps that endpoint, method or text hides them all', () => {
    const rows = rowsAt([90, 50])
    const rejected = [...rejectedAt([80], 'a'), ...rejectedAt([70], 'b')]
    expect(render(mergeRejected(rows, rejected, { filter: { ...NO_FILTER, endpointId: 'b' }, complete: true }))).toEqual(['d90', 'r70', 'd50'])
    expect(mergeRejected(rows, rejected, { filter: { ...NO_FILTER, method: 'POST' }, complete: true }).placed).toEqual([])
    expect(mergeRejected(rows, rejected, { filter: { ...NO_FILTER, q: 'orders' }, complete: true }).placed).toEqual([])
    expect(mergeRejected(rows, rejected, { filter: { ...NO_FILTER, q: '   ' }, complete: true }).placed).toHaveLength(2)
  })

  it('maps rows and connections to list indexes and back', () => {
    const rows = rowsAt([90, 70, 50, 30])
    const rejected = rejectedAt([95, 60, 59, 10])
    const list = mergeRejected(rows, rejected, { filter: NO_FILTER, complete: true })
    for (let index = 0; index < list.count; index++) {
      const item = itemAt(list, index)!
      if (item.kind === 'delivery') expect(indexOfRow(list, item.rowIndex)).toBe(index)
      else expect(indexOfRejected(list, item.connection.id)).toBe(index)
      expect(indexOfKey(list, itemKey(item))).toBe(index)
    }
    expect(itemAt(list, -1)).toBeUndefined()
    expect(itemAt(list, list.count)).toBeUndefined()
    expect(indexOfRejected(list, 'nope')).toBe(-1)
    expect(indexOfKey(list, 'rejected:nope')).toBe(-1)
    expect(indexOfKey(list, rows[3]!.id, 2)).toBe(-1) // beyond the scan limit
  })

  it('keys never collide between a delivery and a connection with the same id', () => {
    const delivery: ListItem = { kind: 'delivery', row: summaryOf(makeDelivery({ id: 'x1' })), rowIndex: 0 }
    const connection: ListItem = { kind: 'rejected', connection: makeRejected({ id: 'x1' }) }
    expect(itemKey(delivery)).not.toBe(itemKey(connection))
  })

  it('with no refused connection, is the rows as they are', () => {
    const rows = rowsAt([3, 2, 1])
    const list = mergeRejected(rows, [], { filter: NO_FILTER, complete: false })
    expect(list.count).toBe(3)
    expect(render(list)).toEqual(['d3', 'd2', 'd1'])
  })

  it('costs next to nothing on 100,000 rows: no copy, a binary search per connection and per lookup', () => {
    const rows: DeliverySummary[] = Array.from({ length: 100_000 }, (_, i) => ({ ...summaryOf(makeDelivery()), id: `d${i}`, receivedAt: 1_000_000 - i * 10 }))
    const rejected = Array.from({ length: 200 }, (_, i) => makeRejected({ id: `r${i}`, at: 1_000_000 - i * 4_999 }))
    const started = performance.now()
    let list: MergedList | null = null
    for (let i = 0; i < 100; i++) list = mergeRejected(rows, rejected, { filter: NO_FILTER, complete: true })
    for (let index = 0; index < list!.count; index += 97) itemAt(list!, index)
    const elapsed = performance.now() - started
    expect(list!.rows).toBe(rows)
    expect(list!.count).toBe(100_200)
    expect(elapsed).toBeLessThan(500)
    // Spot checks: every refused connection sits between the rows around its time.
    for (let j = 0; j < list!.placed.length; j += 37) {
      const index = indexOfRejected(list!, list!.placed[j]!.id)
      const before = itemAt(list!, index - 1)
      const after = itemAt(list!, index + 1)
      if (before?.kind === 'delivery') expect(before.row.receivedAt).toBeGreaterThan(list!.placed[j]!.at)
      if (after?.kind === 'delivery') expect(after.row.receivedAt).toBeLessThanOrEqual(list!.placed[j]!.at)
    }
  })
})

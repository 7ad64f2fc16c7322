import { useVirtualizer } from '@tanstack/react-virtual'
import { type KeyboardEvent, type MouseEvent, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useDeliveries, useRejected } from '../../app/services-context'
import { useNow } from '../../lib/use-now'
import { DeliveryRow } from './delivery-row'
import { targetIndex } from './list-keys'
import { indexOfKey, indexOfRejected, indexOfRow, itemAt, itemKey, type MergedList, mergeRejected } from './merged-list'
import { optionId } from './option-id'
import { RejectedRow } from './rejected-row'

/** Two lines per delivery (see delivery-row.tsx). */
const ROW_HEIGHT = 40
/** Start fetching the next older page this many rows before the end comes into view. */
const PREFETCH_ROWS = 60
/** How far to look for the previous first row after a prepend (beyond that, leave the scroll alone). */
const SCROLL_ANCHOR_SCAN = 50_000

/**
 * The live list: virtualised (only visible rows are in the DOM), so 100,000 rows scroll smoothly.
 * Refused TLS connections (their own small store) are merged in by time at render time, without
 * copying the rows: see merged-list.ts.
 */
export function DeliveryList() {
  const rows = useDeliveries((s) => s.rows)
  const filter = useDeliveries((s) => s.filter)
  const selectedId = useDeliveries((s) => s.selectedId)
  const nextCursor = useDeliveries((s) => s.nextCursor)
  const loadingMore = useDeliveries((s) => s.loadingMore)
  const select = useDeliveries((s) => s.select)
  const loadMore = useDeliveries((s) => s.loadMore)
  const rejected = useRejected((s) => s.items)
  const selectedRejectedId = useRejected((s) => s.selected?.id ?? null)
  const selectRejected = useRejected((s) => s.select)

  const now = useNow(60_000)
  /** Rows that arrived above while the user was scrolled down: the "N new" button. */
  const [newAbove, setNewAbove] = useState(0)

  const complete = nextCursor === null
  const list = useMemo(() => mergeRejected(rows, rejected, { filter, complete }), [rows, rejected, filter, complete])

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: list.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => {
      const item = itemAt(list, index)
      return item ? itemKey(item) : index
    },
    overscan: 20
  })
  const items = virtualizer.getVirtualItems()
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : -1

  useEffect(() => {
    if (nextCursor !== null && !loadingMore && lastVisible >= list.count - PREFETCH_ROWS) void loadMore()
  }, [lastVisible, list.count, nextCursor, loadingMore, loadMore])

  // New deliveries are prepended; when the user has scrolled away from the top, shift the scroll
  // position by the inserted rows so what they are reading does not slide down under them.
  const firstKeyRef = useRef<string | null>(null)
  useLayoutEffect(() => {
    const previousFirst = firstKeyRef.current
    const first = itemAt(list, 0)
    firstKeyRef.current = first ? itemKey(first) : null
    const element = scrollRef.current
    if (!element || previousFirst === null || element.scrollTop === 0) return
    const inserted = indexOfKey(list, previousFirst, SCROLL_ANCHOR_SCAN)
    if (inserted > 0) {
      element.scrollTop += inserted * ROW_HEIGHT
      setNewAbove((count) => count + inserted)
    }
  }, [list])

  // Back at the top, everything new is in view.
  const onScroll = () => {
    if (newAbove > 0 && (scrollRef.current?.scrollTop ?? 0) < ROW_HEIGHT) setNewAbove(0)
  }
  // A reload (new filter) starts over (state adjusted while rendering, not in an effect).
  const [filterShown, setFilterShown] = useState(filter)
  if (filter !== filterShown) {
    setFilterShown(filter)
    setNewAbove(0)
  }

  const scrollToTop = () => {
    scrollRef.current?.scrollTo({ top: 0 })
    setNewAbove(0)
  }

  const keyboardMove = useRef(false)
  useEffect(() => {
    if (!keyboardMove.current) return
    keyboardMove.current = false
    const index = selectedIndex(list, selectedId, selectedRejectedId)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [selectedId, selectedRejectedId, list, virtualizer])

  const onKeyDown = (event: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1)
    const current = selectedIndex(list, selectedId, selectedRejectedId)
    const target = targetIndex(event.key, current, page, list.count)
    if (target === null) return
    event.preventDefault()
    if (list.count === 0) return
    const next = itemAt(list, target)
    if (!next) return
    keyboardMove.current = true
    if (next.kind === 'delivery') {
      if (next.row.id !== selectedId) select(next.row.id)
    } else if (next.connection.id !== selectedRejectedId) {
      selectRejected(next.connection.id)
    }
  }

  // Rows select on click through the list, which keeps the focus for the arrow keys.
  const onClick = (event: MouseEvent) => {
    const option = (event.target as Element).closest<HTMLElement>('[role="option"]')
    const id = option?.dataset.id
    if (!option || !id) return
    if (option.dataset.kind === 'rejected') selectRejected(id)
    else select(id)
    scrollRef.current?.focus({ preventScroll: true })
  }
  const selectedItem =
    selectedRejectedId !== null ? optionId('rejected', selectedRejectedId) : selectedId !== null ? optionId('delivery', selectedId) : undefined

  // A single-select listbox: the list holds the focus; ↑/↓, Page and Home/End move the selection.
  // The header only labels the columns for the eye; each row reads as one option.
  return (
    <div className="delivery-table">
      <div className="delivery-header" aria-hidden="true">
        <span className="col-method">Method</span>
        <span className="col-path">
          Path <span className="header-sub">· signature, event</span>
        </span>
        <span className="col-time">Time</span>
      </div>
      {newAbove > 0 && (
        <button type="button" className="new-indicator" data-testid="new-indicator" onClick={scrollToTop}>
          ↑ {newAbove.toLocaleString()} new
        </button>
      )}
      <div
        ref={scrollRef}
        role="listbox"
        aria-label="Deliveries"
        aria-activedescendant={selectedItem}
        className="delivery-scroll"
        data-testid="delivery-list"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onClick={onClick}
        onScroll={onScroll}
      >
        <div className="delivery-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((virtual) => {
            const item = itemAt(list, virtual.index)
            if (!item) return null
            if (item.kind === 'rejected') {
              const { connection } = item
              return (
                <RejectedRow
                  key={virtual.key}
                  connection={connection}
                  top={virtual.start}
                  height={ROW_HEIGHT}
                  selected={connection.id === selectedRejectedId}
                />
              )
            }
            const { row } = item
            return <DeliveryRow key={virtual.key} row={row} top={virtual.start} height={ROW_HEIGHT} selected={row.id === selectedId} now={now} />
          })}
        </div>
      </div>
    </div>
  )
}

function selectedIndex(list: MergedList, deliveryId: string | null, rejectedId: string | null): number {
  if (rejectedId !== null) return indexOfRejected(list, rejectedId)
  if (deliveryId === null) return -1
  const rowIndex = list.rows.findIndex((row) => row.id === deliveryId)
  return rowIndex < 0 ? -1 : indexOfRow(list, rowIndex)
}

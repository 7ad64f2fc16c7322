import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react'
import { useDeliveries } from '../../app/services-context'
import { DeliveryRow } from './delivery-row'

const ROW_HEIGHT = 26
/** Start fetching the next older page this many rows before the end comes into view. */
const PREFETCH_ROWS = 60

/** The live list: virtualised (only visible rows are in the DOM), so 100,000 rows scroll smoothly. */
export function DeliveryList() {
  const rows = useDeliveries((s) => s.rows)
  const selectedId = useDeliveries((s) => s.selectedId)
  const nextCursor = useDeliveries((s) => s.nextCursor)
  const loadingMore = useDeliveries((s) => s.loadingMore)
  const select = useDeliveries((s) => s.select)
  const selectAdjacent = useDeliveries((s) => s.selectAdjacent)
  const loadMore = useDeliveries((s) => s.loadMore)

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 20
  })
  const items = virtualizer.getVirtualItems()
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : -1

  useEffect(() => {
    if (nextCursor !== null && !loadingMore && lastVisible >= rows.length - PREFETCH_ROWS) void loadMore()
  }, [lastVisible, rows.length, nextCursor, loadingMore, loadMore])

  // New deliveries are prepended; when the user has scrolled away from the top, shift the scroll
  // position by the inserted rows so what they are reading does not slide down under them.
  const firstIdRef = useRef<string | null>(null)
  useLayoutEffect(() => {
    const previousFirst = firstIdRef.current
    firstIdRef.current = rows[0]?.id ?? null
    const element = scrollRef.current
    if (!element || previousFirst === null || element.scrollTop === 0) return
    const limit = Math.min(rows.length, 50_000)
    let inserted = 0
    while (inserted < limit && rows[inserted]!.id !== previousFirst) inserted++
    if (inserted > 0 && inserted < limit) element.scrollTop += inserted * ROW_HEIGHT
  }, [rows])

  const keyboardMove = useRef(false)
  useEffect(() => {
    if (!keyboardMove.current || selectedId === null) return
    keyboardMove.current = false
    const index = rows.findIndex((row) => row.id === selectedId)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [selectedId, rows, virtualizer])

  const onKeyDown = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    keyboardMove.current = true
    selectAdjacent(step)
  }

  return (
    <div className="delivery-table" role="table" aria-label="Deliveries">
      <div className="delivery-header" role="row">
        <span className="col-method" role="columnheader">Method</span>
        <span className="col-path" role="columnheader">Path</span>
        <span className="col-time" role="columnheader">Time</span>
        <span className="col-size" role="columnheader">Size</span>
        <span className="col-status" role="columnheader">Status</span>
        <span className="col-verdict" role="columnheader">Signature</span>
      </div>
      <div ref={scrollRef} className="delivery-scroll" data-testid="delivery-list" tabIndex={0} onKeyDown={onKeyDown}>
        <div className="delivery-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!
            return (
              <DeliveryRow
                key={row.id}
                row={row}
                top={item.start}
                height={ROW_HEIGHT}
                selected={row.id === selectedId}
                onSelect={select}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}

import { useEffect, useMemo, useRef } from 'react'
import { useDeliveries, useRejected } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { ErrorBanner } from '../../components/error-banner'
import { isFilterActive } from '../../stores/delivery-filter'
import { ExportControls } from '../export/export-controls'
import { BulkReplayButton } from '../replay/bulk-replay'
import { DeliveryList } from './delivery-list'
import { describeCounts } from './describe-counts'
import { EmptyState } from './empty-state'
import { FilterBar } from './filter-bar'
import { rejectedMatchesFilter } from './merged-list'

export function DeliveriesPane() {
  const count = useDeliveries((s) => s.rows.length)
  const everLoaded = useDeliveries((s) => s.everLoaded)
  const listStatus = useDeliveries((s) => s.listStatus)
  const listError = useDeliveries((s) => s.listError)
  const actionError = useDeliveries((s) => s.actionError)
  const filtering = useDeliveries((s) => isFilterActive(s.filter))
  const hasMore = useDeliveries((s) => s.nextCursor !== null)
  const loadingMore = useDeliveries((s) => s.loadingMore)
  const total = useDeliveries((s) => s.total)
  const matched = useDeliveries((s) => s.matched)
  const capped = useDeliveries((s) => s.matchedCapped)
  const clearAll = useDeliveries((s) => s.clearAll)
  const dismissActionError = useDeliveries((s) => s.dismissActionError)
  const reload = useDeliveries((s) => s.reload)
  const filter = useDeliveries((s) => s.filter)
  const rejected = useRejected((s) => s.items)
  const rejectedCount = useMemo(() => rejected.filter((item) => rejectedMatchesFilter(item, filter)).length, [rejected, filter])
  const searchRef = useRef<HTMLInputElement>(null)

  // "/" focuses the search box from anywhere on the page, unless the user is typing somewhere.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target)) return
      event.preventDefault()
      searchRef.current?.focus()
      searchRef.current?.select()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  const nothingYet = count === 0 && rejectedCount === 0 && everLoaded && listStatus !== 'error'
  const counts =
    listStatus === 'loading' && !loadingMore && !everLoaded ? 'Loading…' : describeCounts({ loaded: count, total, matched, filtering, hasMore, capped })

  return (
    <>
      <FilterBar ref={searchRef} />
      {actionError && <ErrorBanner message={actionError} onDismiss={dismissActionError} testId="deliveries-action-error" />}
      {listError && (
        <div className="error-banner" role="alert" data-testid="list-error">
          <span className="error-text">{listError}</span>
          <button type="button" className="btn" onClick={() => void reload()}>
            Retry
          </button>
        </div>
      )}
      {nothingYet && !filtering ? (
        <EmptyState />
      ) : nothingYet ? (
        <div className="list-message" data-testid="no-matches">
          No deliveries match the filter.
        </div>
      ) : (
        <DeliveryList />
      )}
      <footer className="list-footer">
        <span data-testid="delivery-count" className="delivery-count">
          {counts}
        </span>
        {rejectedCount > 0 && (
          <span className="rejected-count" data-testid="rejected-count" title="TLS connections refused before any request (the newest are kept)">
            {rejectedCount.toLocaleString()} refused {rejectedCount === 1 ? 'connection' : 'connections'}
          </span>
        )}
        {loadingMore && <span className="muted">loading older…</span>}
        <span className="spacer" />
        <ExportControls disabled={(matched ?? count) === 0} />
        <BulkReplayButton />
        <ConfirmButton
          label="Clear all"
          confirmLabel="Delete every delivery"
          onConfirm={() => void clearAll()}
          disabled={count === 0 && rejectedCount === 0}
          testId="clear-all"
        />
      </footer>
    </>
  )
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement
}

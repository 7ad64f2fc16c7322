import { useEffect, useMemo } from 'react'
import { type FoundText, findText } from '../../../../shared/lib/find-text'

/** What the body panel's find bar asks of the view on screen. */
export interface FindRequest {
  query: string
  /** Index of the current hit. */
  active: number
  /** The view says how many hits it has (null: this view cannot search). Must be stable. */
  report(hits: FindHits | null): void
}

export interface FindHits {
  count: number
  capped: boolean
}

/** Hits of the find query in `text`, reported to the find bar. */
export function useFound(text: string | null, find: FindRequest | undefined): FoundText | null {
  const query = find?.query ?? ''
  const found = useMemo(() => (text !== null && query ? findText(text, query) : null), [text, query])
  const report = find?.report
  useEffect(() => {
    report?.(found ? { count: found.starts.length, capped: found.capped } : null)
  }, [found, report])
  return found
}

interface FindBarProps {
  query: string
  onQuery(query: string): void
  hits: FindHits | null
  active: number
  onStep(step: 1 | -1): void
}

/** Search inside the body: Enter for the next hit, Shift+Enter for the previous one. */
export function FindBar({ query, onQuery, hits, active, onStep }: FindBarProps) {
  const count = hits?.count ?? 0
  return (
    <search className="find-bar">
      <input
        type="search"
        className="find-input"
        placeholder="Find in body"
        aria-label="Find in body"
        data-testid="body-find"
        value={query}
        maxLength={500}
        onChange={(event) => onQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || count === 0) return
          event.preventDefault()
          onStep(event.shiftKey ? -1 : 1)
        }}
      />
      {query && (
        <span className="find-count muted" data-testid="body-find-count">
          {hits === null ? 'not searchable here' : count === 0 ? 'no match' : `${active + 1} of ${count.toLocaleString('en-US')}${hits.capped ? '+' : ''}`}
        </span>
      )}
      <button type="button" className="btn btn-small" aria-label="Previous match" disabled={count === 0} onClick={() => onStep(-1)}>
        ↑
      </button>
      <button type="button" className="btn btn-small" aria-label="Next match" data-testid="body-find-next" disabled={count === 0} onClick={() => onStep(1)}>
        ↓
      </button>
    </search>
  )
}

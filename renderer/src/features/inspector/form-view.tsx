import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef } from 'react'
import { type FoundText, hitsIn, upperBound } from '../../../../shared/lib/find-text'
import type { FormDoc } from '../../../../shared/lib/form-urlencoded'
import { RevealedText } from '../../components/revealed-text'
import { MAX_DRAWN_VALUE_CHARS, MAX_WRAPPED_ROWS } from './body-budgets'
import type { BodyViewProps } from './body-view-props'
import { useFound } from './find-in-body'
import { useBodyTask } from './use-body-task'
import { CutoffNotice, ViewPending } from './view-notices'

const ROW_HEIGHT = 20

/** application/x-www-form-urlencoded fields in order, duplicates kept, windowed (100,000 fields paint like 10). */
export function FormView({ bytes, contentType, truncated, find }: BodyViewProps) {
  const state = useBodyTask('form', bytes, contentType, truncated)
  const doc = state.status === 'ready' ? state.result.output : null
  const found = useFound(doc && !doc.notForm ? doc.pool : null, find)
  if (state.status === 'pending' || !doc) return <ViewPending bytes={bytes.length} />
  if (doc.notForm) {
    return (
      <p className="notice" data-testid="form-error">
        Not form data: {doc.notForm}. The Raw tab shows the body as received.
      </p>
    )
  }
  if (doc.nameStarts.length === 0)
    return (
      <p className="muted" data-testid="form-empty">
        No form fields.
      </p>
    )
  return (
    <>
      <CutoffNotice cutoff={state.result.inputCutoff ?? doc.cutoff} />
      <FormFields doc={doc} found={found} activeHit={find?.active ?? -1} />
    </>
  )
}

function FormFields({ doc, found, activeHit }: { doc: FormDoc; found: FoundText | null; activeHit: number }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const count = doc.nameStarts.length
  // Few fields wrap long values (rows measured as drawn); many draw one clipped line per field.
  const wrap = count <= MAX_WRAPPED_ROWS
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 })

  useEffect(() => {
    if (!found || activeHit < 0 || activeHit >= found.starts.length) return
    virtualizer.scrollToIndex(Math.max(0, upperBound(doc.nameStarts, found.starts[activeHit]!) - 1), { align: 'center' })
  }, [found, activeHit, doc, virtualizer])

  const cell = (from: number, to: number, className: string) => {
    const shown = Math.min(to, from + MAX_DRAWN_VALUE_CHARS)
    return (
      <span className={className}>
        <RevealedText text={doc.pool.slice(from, shown)} highlights={found ? hitsIn(found, from, shown, activeHit) : undefined} />
        {shown < to && <span className="more-chars"> … {(to - shown).toLocaleString('en-US')} more characters</span>}
      </span>
    )
  }

  return (
    <div ref={scrollRef} className={`form-view ${wrap ? 'wrap' : 'clip'}`} data-testid="form-view" data-fields={count}>
      <div className="form-row form-head">
        <span>Name</span>
        <span>Value</span>
      </div>
      <div className="form-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const i = item.index
          return (
            <div
              key={item.key}
              ref={wrap ? virtualizer.measureElement : undefined}
              data-index={i}
              className="form-row"
              data-testid="form-field"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {cell(doc.nameStarts[i]!, doc.valueStarts[i]!, 'header-name')}
              {cell(doc.valueStarts[i]!, doc.valueEnds[i]!, 'header-value')}
            </div>
          )
        })}
      </div>
    </div>
  )
}

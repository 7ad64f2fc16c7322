import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef } from 'react'
import { type FoundText, hitsIn, upperBound } from '../../../../shared/lib/find-text'
import { type LineDoc, rowCount } from '../../../../shared/lib/line-doc'
import { RevealedText } from '../../components/revealed-text'
import { showInvisibles } from '../../lib/visible-whitespace'
import { MAX_ROW_CHARS, MAX_WRAPPED_ROWS } from './body-budgets'

const ROW_HEIGHT = 18
/** Rough characters per wrapped line, for the height of rows not yet measured. */
const ESTIMATED_LINE_CHARS = 100
/** Row length when rows do not wrap (one line each, scrolled sideways). */
const UNWRAPPED_ROW_CHARS = 1_000

interface TextRowsViewProps {
  doc: LineDoc
  testId: string
  className: string
  found: FoundText | null
  activeHit: number
  /** Draw line ends, carriage returns, tabs and trailing spaces as symbols. */
  lineEnds: boolean
}

/**
 * Text in rows, windowed: only the rows in view are in the DOM, so a 10 MiB body paints as fast
 * as a small one. Each row's text node ends with its '\n', so the view's text is the document's.
 * Up to MAX_WRAPPED_ROWS rows, long lines wrap (rows measured as drawn, cut every MAX_ROW_CHARS);
 * past that, every row is one line of at most 1,000 characters, scrolled sideways: measuring
 * hundreds of thousands of rows would cost more than drawing them.
 */
export function TextRowsView({ doc, testId, className, found, activeHit, lineEnds }: TextRowsViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const rows = rowCount(doc)
  // segmentStarts[r]: the first drawn row of text row r (rows longer than a segment are cut).
  const { segmentStarts, segmentChars, wrap } = useMemo(() => {
    const cut = (chars: number) => {
      const starts = new Int32Array(rows + 1)
      for (let r = 0; r < rows; r++) {
        const length = doc.starts[r + 1]! - 1 - doc.starts[r]!
        starts[r + 1] = starts[r]! + Math.max(1, Math.ceil(length / chars))
      }
      return starts
    }
    const wrapped = cut(MAX_ROW_CHARS)
    if (wrapped[rows]! <= MAX_WRAPPED_ROWS) return { segmentStarts: wrapped, segmentChars: MAX_ROW_CHARS, wrap: true }
    return { segmentStarts: cut(UNWRAPPED_ROW_CHARS), segmentChars: UNWRAPPED_ROW_CHARS, wrap: false }
  }, [doc, rows])
  const count = segmentStarts[rows]!

  const segment = (index: number) => {
    const row = upperBound(segmentStarts, index) - 1
    const rowStart = doc.starts[row]!
    const rowEnd = doc.starts[row + 1]! - 1
    const part = index - segmentStarts[row]!
    const last = index === segmentStarts[row + 1]! - 1
    const start = cutAt(doc.text, rowStart, rowStart + part * segmentChars, part)
    const end = last ? rowEnd : cutAt(doc.text, rowStart, rowStart + (part + 1) * segmentChars, part + 1)
    return { row, start, end, last }
  }

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => {
      if (!wrap) return ROW_HEIGHT
      const { start, end } = segment(index)
      return ROW_HEIGHT * Math.max(1, Math.ceil((end - start) / ESTIMATED_LINE_CHARS))
    },
    overscan: 20
  })

  useEffect(() => {
    if (!found || activeHit < 0 || activeHit >= found.starts.length) return
    const offset = found.starts[activeHit]!
    const row = Math.max(0, upperBound(doc.starts, offset) - 1)
    const part = Math.floor((offset - doc.starts[row]!) / segmentChars)
    virtualizer.scrollToIndex(Math.min(count - 1, segmentStarts[row]! + part), { align: 'center' })
  }, [found, activeHit, doc, segmentStarts, segmentChars, count, virtualizer])

  return (
    <div ref={scrollRef} className={`text-rows code-block ${wrap ? 'wrap' : 'clip'} ${className}`} data-testid={testId} data-rows={rows}>
      <div className="text-rows-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const { row, start, end, last } = segment(item.index)
          const text = doc.text.slice(start, end)
          const depth = doc.depths?.[row] ?? 0
          return (
            <div
              key={item.key}
              ref={wrap ? virtualizer.measureElement : undefined}
              data-index={item.index}
              className={last ? 'text-row' : 'text-row continued'}
              style={{ transform: `translateY(${item.start}px)`, paddingLeft: depth > 0 ? `${depth * 2}ch` : undefined }}
            >
              <RevealedText text={lineEnds ? showInvisibles(text) : text} highlights={found ? hitsIn(found, start, end, activeHit) : undefined} />
              {last && lineEnds && row < rows - 1 && <span className="line-end">↵</span>}
              {last && row < rows - 1 ? '\n' : null}
            </div>
          )
        })}
      </div>
    </div>
  )
}

/** A cut inside a row, moved off the middle of a surrogate pair (part 0 always starts the row). */
function cutAt(text: string, rowStart: number, at: number, part: number): number {
  if (part === 0) return rowStart
  const code = text.charCodeAt(at)
  return code >= 0xdc00 && code <= 0xdfff ? at + 1 : at
}

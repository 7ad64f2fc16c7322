import type { ReactNode } from 'react'
import { revealInvisibles } from '../lib/invisible-chars'

/** A stretch of `text` to mark as a search hit; `active` is the one the find bar points at. */
export interface Highlight {
  start: number
  end: number
  active: boolean
}

/**
 * Payload text as React text nodes (never markup), with bidi controls and invisible characters
 * replaced by visible markers (their name on hover) and search hits marked. Past `maxMarkers`
 * markers, the rest show as picture characters in the text (no element each).
 */
export function RevealedText({ text, highlights, maxMarkers }: { text: string; highlights?: readonly Highlight[]; maxMarkers?: number }) {
  const pieces = (slice: string, offset: number) => revealedPieces(slice, offset, maxMarkers)
  if (!highlights || highlights.length === 0) return <>{pieces(text, 0)}</>
  const out: ReactNode[] = []
  let pos = 0
  for (const hit of highlights) {
    const start = Math.max(pos, hit.start)
    const end = Math.min(text.length, hit.end)
    if (end <= start) continue
    if (start > pos) out.push(...pieces(text.slice(pos, start), pos))
    out.push(
      <mark key={`hit-${start}`} className={hit.active ? 'find-hit active' : 'find-hit'} data-testid={hit.active ? 'find-hit-active' : 'find-hit'}>
        {pieces(text.slice(start, end), start)}
      </mark>
    )
    pos = end
  }
  if (pos < text.length) out.push(...pieces(text.slice(pos), pos))
  return <>{out}</>
}

function revealedPieces(text: string, offset: number, maxMarkers: number | undefined): ReactNode[] {
  return revealInvisibles(text, maxMarkers).map((piece, index) =>
    typeof piece === 'string' ? (
      piece
    ) : (
      // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of an immutable text; their position is their identity
      <span key={`${offset}-${index}`} className="invisible-mark" title={piece.name} data-testid="invisible-mark">
        {piece.marker}
      </span>
    )
  )
}

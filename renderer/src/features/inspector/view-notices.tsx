import type { Cutoff } from '../../../../shared/lib/budget'
import { formatBytes } from '../../lib/format'

/** Shown while the worker formats a big body; the rest of the page keeps working meanwhile. */
export function ViewPending({ bytes }: { bytes: number }) {
  return (
    <p className="muted view-pending" data-testid="view-pending">
      Formatting {formatBytes(bytes)}…
    </p>
  )
}

/** Says where a view stopped and where the rest is. `depthIsIndent`: XML keeps every row, it only stops indenting. */
export function CutoffNotice({ cutoff, depthIsIndent = false }: { cutoff: Cutoff | null; depthIsIndent?: boolean }) {
  if (!cutoff) return null
  return (
    <p className="notice" data-testid="budget-notice" data-limit={cutoff.limit}>
      {describeCutoff(cutoff, depthIsIndent)} The Hex view and Download body have every stored byte.
    </p>
  )
}

export function describeCutoff(cutoff: Cutoff, depthIsIndent = false): string {
  const n = cutoff.at.toLocaleString('en-US')
  switch (cutoff.limit) {
    case 'input':
      return `Shown up to the first ${formatBytes(cutoff.at)}: the rest is left out of this view.`
    case 'items':
      return `Shown up to ${n} ${cutoff.unit}: the rest is left out of this view.`
    case 'depth':
      return depthIsIndent
        ? `Indentation stops at ${n} levels: deeper rows are shown at that level.`
        : `Shown down to ${n} levels of nesting: deeper values are left out of this view.`
    case 'time':
      return `Shown up to where formatting stopped after ${(cutoff.at / 1000).toLocaleString('en-US')} s.`
  }
}

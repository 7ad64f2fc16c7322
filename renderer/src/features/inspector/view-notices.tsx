import { MAX_DECODED_BODY_BYTES } from '../../../../shared/api/contract'
import type { Cutoff } from '../../../../shared/lib/budget'
import { formatBytes } from '../../lib/format'
import type { ContentDecodingState } from './use-content-decoding'

/** Shown while the worker formats a big body; the rest of the page keeps working meanwhile. */
export function ViewPending({ bytes, verb = 'Formatting' }: { bytes: number; verb?: string }) {
  return (
    <p className="muted view-pending" data-testid="view-pending">
      {verb} {formatBytes(bytes)}…
    </p>
  )
}

/** What was undone of a Content-Encoding (or why it was not), above the body views. */
export function ContentDecodingNotice({ state, storedBytes }: { state: ContentDecodingState; storedBytes: number }) {
  if (state.status === 'failed') {
    return (
      <p className="notice" data-testid="body-decoded" data-ok="false">
        Content-Encoding {state.codings.join(', ')} could not be undone: {state.reason}. The views show the bytes as received.
      </p>
    )
  }
  if (state.status !== 'decoded') return null
  const { facts, body } = state
  return (
    <p className="muted small" data-testid="body-decoded" data-ok="true" data-capped={facts.capped} data-incomplete={facts.incomplete}>
      Decoded from {facts.codings.join(', ')}: {formatBytes(storedBytes)} received, {formatBytes(body.bytes.length)} decoded
      {facts.capped && ` (stopped at ${formatBytes(MAX_DECODED_BODY_BYTES)}: the rest is left out, a decompression bomb?)`}
      {facts.incomplete && ' (the stored bytes end before the compressed stream does)'}. Download body and Copy as cURL keep the bytes as received.
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

import type { BodyViewProps } from './body-view-props'
import { useFound } from './find-in-body'
import { TextRowsView } from './text-rows-view'
import { useBodyTask } from './use-body-task'
import { CutoffNotice, ViewPending } from './view-notices'

/** The body as text in its declared charset, every line, windowed. */
export function RawView({ bytes, contentType, truncated, find, lineEnds }: BodyViewProps) {
  const state = useBodyTask('lines', bytes, contentType, truncated)
  const doc = state.status === 'ready' ? state.result.output : null
  const found = useFound(doc?.text ?? null, find)
  if (state.status === 'pending' || !doc) return <ViewPending bytes={bytes.length} />
  return (
    <>
      <CutoffNotice cutoff={state.result.inputCutoff ?? doc.cutoff} />
      <TextRowsView doc={doc} testId="raw-view" className="raw-view" found={found} activeHit={find?.active ?? -1} lineEnds={lineEnds} />
    </>
  )
}

import { useMemo } from 'react'
import { parseContentType } from '../../../../shared/lib/content-type'
import { RevealedText } from '../../components/revealed-text'
import type { BodyViewProps } from './body-view-props'
import { useFound } from './find-in-body'
import { TextRowsView } from './text-rows-view'
import { useBodyTask } from './use-body-task'
import { CutoffNotice, ViewPending } from './view-notices'

/** Re-indented as text only: the payload never becomes DOM, entities are never expanded or fetched. */
export function XmlView(props: BodyViewProps) {
  // Most bodies that are not XML say so in their first byte: no need to format megabytes to know.
  const reason = useMemo(() => quickNotXml(props.bytes, props.contentType), [props.bytes, props.contentType])
  return reason ? <NotXml reason={reason} /> : <FormattedXml {...props} />
}

function FormattedXml({ bytes, contentType, truncated, find, lineEnds }: BodyViewProps) {
  const state = useBodyTask('xml', bytes, contentType, truncated)
  const doc = state.status === 'ready' ? state.result.output : null
  const found = useFound(doc && !doc.notXml ? doc.text : null, find)
  if (state.status === 'pending' || !doc) return <ViewPending bytes={bytes.length} />
  if (doc.notXml) return <NotXml reason={doc.notXml} />
  return (
    <>
      <CutoffNotice cutoff={state.result.inputCutoff ?? doc.cutoff} depthIsIndent />
      {doc.problem && (
        <p className="notice" data-testid="xml-problem">
          Not well-formed XML: <RevealedText text={doc.problem} />. Shown as best as it reads.
        </p>
      )}
      <TextRowsView doc={doc} testId="xml-view" className="xml-view" found={found} activeHit={find?.active ?? -1} lineEnds={lineEnds} />
    </>
  )
}

function NotXml({ reason }: { reason: string }) {
  return (
    <p className="notice" data-testid="xml-error">
      Not XML: {reason}. The Raw tab shows the body as received.
    </p>
  )
}

/**
 * The reason formatXml would give, from the first bytes, when they settle it: UTF-8 (or a legacy
 * single-byte charset) whose first non-blank byte is not '<'. UTF-16 bodies go to the formatter.
 */
function quickNotXml(bytes: Uint8Array, contentType: string | null): string | null {
  if (parseContentType(contentType).charset?.startsWith('utf-16')) return null
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return null
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++
  if (i >= bytes.length || bytes[i] === 0x3c) return null
  return "the body does not start with '<'"
}

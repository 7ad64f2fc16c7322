import { useMemo, useState } from 'react'
import { detectBodyFormat } from '../../../../shared/lib/body-format'
import { contentTypeParam } from '../../../../shared/lib/content-type'
import type { MultipartPart } from '../../../../shared/lib/multipart'
import type { RawHeader } from '../../../../shared/model/delivery'
import { RevealedText } from '../../components/revealed-text'
import { downloadBytes } from '../../lib/download'
import { formatBytes } from '../../lib/format'
import type { BodyViewProps } from './body-view-props'
import { fileExtension, safeFileName } from './download-body'
import { sniffImage } from './image-sniff'
import { ImageView } from './image-view'
import { useBodyTask } from './use-body-task'
import { CutoffNotice, ViewPending } from './view-notices'

/**
 * Parts drawn at first, and per "show more". With the caps below a card is at most ~100 elements,
 * so a page stays within a few thousand whatever the parts hold (1,000 cards at once would not).
 */
const PARTS_PAGE = 30
/** Text shown of one part before "… N more bytes". */
const PREVIEW_BYTES = 4096
/** Header lines listed per part; the Raw tab has them all. */
const PART_HEADER_ROWS = 10
/** Invisible characters drawn as markers per header name or value (the rest as picture characters). */
const HEADER_MARKERS = 2
/** ... and per preview. */
const PREVIEW_MARKERS = 16

/** multipart bodies: each part with its header lines as sent, its size, a preview and a download. */
export function MultipartView({ bytes, contentType, truncated }: BodyViewProps) {
  const state = useBodyTask('multipart', bytes, contentType, truncated)
  const [shown, setShown] = useState(PARTS_PAGE)
  if (state.status === 'pending') return <ViewPending bytes={bytes.length} />
  const doc = state.result.output
  if (doc.notMultipart) {
    return (
      <p className="notice" data-testid="multipart-error">
        Not multipart: <RevealedText text={doc.notMultipart} />. The Raw tab shows the body as received.
      </p>
    )
  }
  return (
    <div className="multipart-view" data-testid="multipart-view" data-parts={doc.parts.length}>
      <CutoffNotice cutoff={state.result.inputCutoff ?? doc.cutoff} />
      {doc.problem && <p className="notice">{doc.problem}</p>}
      <p className="muted small">
        {doc.parts.length.toLocaleString('en-US')} {doc.parts.length === 1 ? 'part' : 'parts'}, boundary{' '}
        <code>
          <RevealedText text={doc.boundary ?? ''} />
        </code>
      </p>
      {doc.parts.slice(0, shown).map((part, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a body's parts are immutable and in order; their position is their identity
        <PartCard key={index} bytes={bytes} part={part} index={index} />
      ))}
      {doc.parts.length > shown && (
        <button type="button" className="btn-link" data-testid="multipart-more" onClick={() => setShown(shown + PARTS_PAGE)}>
          Show {Math.min(PARTS_PAGE, doc.parts.length - shown)} more of {(doc.parts.length - shown).toLocaleString('en-US')}…
        </button>
      )}
    </div>
  )
}

function PartCard({ bytes, part, index }: { bytes: Uint8Array; part: MultipartPart; index: number }) {
  const body = bytes.subarray(part.bodyStart, part.bodyEnd)
  const contentType = header(part.headers, 'content-type')
  const disposition = header(part.headers, 'content-disposition')
  const name = contentTypeParam(disposition, 'name')
  const filename = contentTypeParam(disposition, 'filename')
  const preview = useMemo(() => describePart(body, contentType), [body, contentType])
  const download = () => {
    const base = filename ? safeFileName(filename) : `part-${index + 1}${preview.image?.extension ?? fileExtension(preview.format)}`
    downloadBytes(body.slice(), base)
  }
  return (
    <section className="part-card" data-testid="multipart-part">
      <div className="part-title">
        <span>Part {index + 1}</span>
        {name !== null && (
          <code>
            <RevealedText text={name} maxMarkers={HEADER_MARKERS} />
          </code>
        )}
        {filename !== null && (
          <span className="muted">
            file <RevealedText text={filename} maxMarkers={HEADER_MARKERS} />
          </span>
        )}
        <span className="muted">{formatBytes(body.length)}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-small" data-testid="multipart-download" disabled={body.length === 0} onClick={download}>
          Download part
        </button>
      </div>
      {part.headers.length > 0 && (
        <table className="headers-table" data-testid="part-headers">
          <tbody>
            {part.headers.slice(0, PART_HEADER_ROWS).map(([headerName, value], i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: header lines are immutable, in received order, duplicates kept: position is their identity
              <tr key={i}>
                <td className="header-name">
                  <RevealedText text={headerName} maxMarkers={HEADER_MARKERS} />
                </td>
                <td className="header-value">
                  <RevealedText text={value} maxMarkers={HEADER_MARKERS} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(part.headersClipped || part.headers.length > PART_HEADER_ROWS) && (
        <p className="muted small" data-testid="part-headers-more">
          More header lines were sent than are listed here (the Raw tab shows them all).
        </p>
      )}
      {preview.image ? (
        <ImageView bytes={body} image={preview.image} testId="part-image" />
      ) : preview.text !== null ? (
        <pre className="code-block part-preview" data-testid="part-preview">
          <RevealedText text={preview.text} maxMarkers={PREVIEW_MARKERS} />
          {body.length > PREVIEW_BYTES && <span className="more-chars">{`\n… ${(body.length - PREVIEW_BYTES).toLocaleString('en-US')} more bytes`}</span>}
        </pre>
      ) : (
        body.length > 0 && <p className="muted small">Binary content.</p>
      )}
    </section>
  )
}

function describePart(body: Uint8Array, contentType: string | null) {
  const image = sniffImage(body)
  const head = body.subarray(0, utf8Boundary(body, PREVIEW_BYTES))
  const format = detectBodyFormat(contentType, head)
  const text = image || format === 'binary' ? null : new TextDecoder('utf-8', { ignoreBOM: true }).decode(head)
  return { image, format, text }
}

/** `limit` moved back off the middle of a UTF-8 sequence, so a preview does not end in U+FFFD. */
function utf8Boundary(bytes: Uint8Array, limit: number): number {
  if (bytes.length <= limit) return bytes.length
  let end = limit
  while (end > limit - 4 && (bytes[end]! & 0xc0) === 0x80) end--
  return end
}

function header(headers: readonly RawHeader[], name: string): string | null {
  return headers.find(([key]) => key.toLowerCase() === name)?.[1] ?? null
}

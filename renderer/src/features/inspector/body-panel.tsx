import { type ComponentType, useCallback, useMemo, useState } from 'react'
import type { BodyFormat } from '../../../../shared/lib/body-format'
import { isMultipartMediaType, parseContentType } from '../../../../shared/lib/content-type'
import { ViewBoundary } from '../../components/view-boundary'
import type { BodyViewProps } from './body-view-props'
import { FindBar, type FindHits, type FindRequest } from './find-in-body'
import { FormView } from './form-view'
import { HexView } from './hex-view'
import { type SniffedImage, sniffImage } from './image-sniff'
import { ImageView } from './image-view'
import { JsonView } from './json-view'
import { MultipartView } from './multipart-view'
import { RawView } from './raw-view'
import { XmlView } from './xml-view'
import './body-views.css'

type BodyTab = 'raw' | 'json' | 'form' | 'xml' | 'parts' | 'image' | 'hex'

interface TabSpec {
  id: BodyTab
  label: string
  /** Has a find-in-body. */
  searchable: boolean
}

const TEXT_TABS: readonly TabSpec[] = [
  { id: 'raw', label: 'Raw', searchable: true },
  { id: 'json', label: 'JSON', searchable: true },
  { id: 'form', label: 'Form', searchable: true },
  { id: 'xml', label: 'XML', searchable: true }
]
const PARTS_TAB: TabSpec = { id: 'parts', label: 'Parts', searchable: false }
const IMAGE_TAB: TabSpec = { id: 'image', label: 'Image', searchable: false }
const HEX_TAB: TabSpec = { id: 'hex', label: 'Hex', searchable: false }

const VIEWS: Record<Exclude<BodyTab, 'hex' | 'image'>, ComponentType<BodyViewProps>> = {
  raw: RawView,
  json: JsonView,
  form: FormView,
  xml: XmlView,
  parts: MultipartView
}

function defaultTab(format: BodyFormat, multipart: boolean, image: SniffedImage | null): BodyTab {
  if (image) return 'image'
  if (multipart) return 'parts'
  switch (format) {
    case 'json':
    case 'form':
    case 'xml':
      return format
    case 'binary':
      return 'hex'
    default:
      return 'raw'
  }
}

interface BodyPanelProps {
  bytes: Uint8Array
  contentType: string | null
  format: BodyFormat
  /** The stored body is only the start of what was sent (413). */
  truncated?: boolean
  /** Named in the log when a view fails; a new one resets failed views. */
  deliveryId?: string | null
}

/**
 * Every view stays reachable (senders mislabel bodies); the detected format only picks the first
 * tab. Each view has its own error boundary: one that fails says so, and the others still work.
 */
export function BodyPanel({ bytes, contentType, format, truncated = false, deliveryId = null }: BodyPanelProps) {
  const multipart = useMemo(() => isMultipartMediaType(parseContentType(contentType).mediaType) || startsWithBoundary(bytes), [bytes, contentType])
  // Only bytes that are not text can be an image (a text body may begin with "BM" or "GIF8").
  const image = useMemo(() => (format === 'binary' ? sniffImage(bytes) : null), [bytes, format])
  const tabs = [...TEXT_TABS, ...(multipart ? [PARTS_TAB] : []), ...(image ? [IMAGE_TAB] : []), HEX_TAB]
  const [tab, setTab] = useState<BodyTab>(() => defaultTab(format, multipart, image))
  const [lineEnds, setLineEnds] = useState(false)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const [hits, setHits] = useState<FindHits | null>(null)
  const report = useCallback((next: FindHits | null) => {
    setHits(next)
    setActive((current) => (next && current < next.count ? current : 0))
  }, [])
  const searchable = tabs.find((spec) => spec.id === tab)?.searchable ?? false
  const find: FindRequest | undefined = searchable && query ? { query, active, report } : undefined

  if (format === 'empty')
    return (
      <p className="muted" data-testid="body-empty">
        No body.
      </p>
    )
  const View = tab === 'hex' || tab === 'image' ? null : VIEWS[tab]
  return (
    <div className="body-panel" data-testid="body-view" data-format={format}>
      <div className="tabs" role="tablist">
        {tabs.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'tab active' : 'tab'}
            data-testid={`body-tab-${id}`}
            onClick={() => {
              setTab(id)
              setHits(null)
            }}
          >
            {label}
          </button>
        ))}
        <span className="tabs-note muted">detected: {image ? image.type : multipart ? 'multipart' : format}</span>
      </div>
      {searchable && (
        <div className="view-options">
          <FindBar
            query={query}
            onQuery={(next) => {
              setQuery(next)
              setActive(0)
            }}
            hits={hits}
            active={active}
            onStep={(step) => setActive((current) => (hits && hits.count > 0 ? (current + step + hits.count) % hits.count : 0))}
          />
          <label className="toggle">
            <input type="checkbox" checked={lineEnds} data-testid="body-line-ends" onChange={(event) => setLineEnds(event.target.checked)} />
            Show line ends and tabs
          </label>
        </div>
      )}
      <div className="tab-content">
        <ViewBoundary key={tab} view={`${tab} view`} deliveryId={deliveryId}>
          {View && <View bytes={bytes} contentType={contentType} truncated={truncated} find={find} lineEnds={lineEnds} />}
          {tab === 'hex' && <HexView bytes={bytes} />}
          {tab === 'image' && image && <ImageView bytes={bytes} image={image} />}
        </ViewBoundary>
      </div>
    </div>
  )
}

/** `--boundary` and a line end at the very start: multipart sent without (or with a wrong) Content-Type. */
function startsWithBoundary(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x2d || bytes[1] !== 0x2d) return false
  const lineEnd = bytes.subarray(0, 80).indexOf(0x0a)
  return lineEnd > 2
}

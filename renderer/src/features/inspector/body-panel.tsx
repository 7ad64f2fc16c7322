import { useMemo, useState } from 'react'
import type { BodyFormat } from '../../../../shared/lib/body-format'
import { decodeBodyText } from './body-text'
import { FormView } from './form-view'
import { HexView } from './hex-view'
import { JsonView } from './json-view'
import { RawView } from './raw-view'
import { XmlView } from './xml-view'

type BodyTab = 'raw' | 'json' | 'form' | 'xml' | 'hex'

const TABS: ReadonlyArray<{ id: BodyTab; label: string }> = [
  { id: 'raw', label: 'Raw' },
  { id: 'json', label: 'JSON' },
  { id: 'form', label: 'Form' },
  { id: 'xml', label: 'XML' },
  { id: 'hex', label: 'Hex' }
]

function defaultTab(format: BodyFormat): BodyTab {
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
}

/** Every view stays reachable (senders mislabel bodies); the detected format only picks the first tab. */
export function BodyPanel({ bytes, contentType, format }: BodyPanelProps) {
  const [tab, setTab] = useState<BodyTab>(() => defaultTab(format))
  const text = useMemo(() => (tab === 'hex' || tab === 'form' ? '' : decodeBodyText(bytes, contentType)), [bytes, contentType, tab])

  if (format === 'empty') return <p className="muted" data-testid="body-empty">No body.</p>
  return (
    <div className="body-panel" data-testid="body-view" data-format={format}>
      <div className="tabs" role="tablist">
        {TABS.map(({ id, label }) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'tab active' : 'tab'}
            data-testid={`body-tab-${id}`}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
        <span className="tabs-note muted">detected: {format}</span>
      </div>
      <div className="tab-content">
        {tab === 'raw' && <RawView text={text} />}
        {tab === 'json' && <JsonView text={text} />}
        {tab === 'form' && <FormView bytes={bytes} />}
        {tab === 'xml' && <XmlView text={text} />}
        {tab === 'hex' && <HexView bytes={bytes} />}
      </div>
    </div>
  )
}

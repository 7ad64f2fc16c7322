import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, useState } from 'react'
import { IntColumn } from '../../../../shared/lib/budget'
import { type FoundText, findText, upperBound } from '../../../../shared/lib/find-text'
import {
  formatJsonScalar,
  hasKey,
  hasNextSibling,
  isContainer,
  JSON_NULL,
  JSON_NUMBER,
  JSON_OBJECT,
  JSON_STRING,
  type JsonDoc,
  jsonPath,
  jsonText,
  nodeCount,
  nodeKey,
  nodeValue
} from '../../../../shared/lib/json-tree'
import { RevealedText } from '../../components/revealed-text'
import { copyText } from '../../lib/clipboard'
import { MAX_DRAWN_VALUE_CHARS, MAX_WRAPPED_ROWS } from './body-budgets'
import type { BodyViewProps } from './body-view-props'
import { useFound } from './find-in-body'
import { useBodyTask } from './use-body-task'
import { CutoffNotice, ViewPending } from './view-notices'

/** Containers open by default down to this depth. */
const DEFAULT_OPEN_DEPTH = 3
const ROW_HEIGHT = 18

export function JsonView({ bytes, contentType, truncated, find }: BodyViewProps) {
  const state = useBodyTask('json', bytes, contentType, truncated)
  const parsed = state.status === 'ready' ? state.result.output : null
  const found = useFound(parsed?.ok ? parsed.doc.pool : null, find)
  if (state.status === 'pending' || !parsed) return <ViewPending bytes={bytes.length} />
  if (!parsed.ok) {
    return (
      <p className="notice" data-testid="json-error">
        Not valid JSON ({parsed.message} at character {parsed.offset}). The Raw tab shows the body as received.
      </p>
    )
  }
  return <JsonTree doc={parsed.doc} found={found} query={find?.query ?? ''} activeHit={find?.active ?? -1} />
}

/** JSON the page already has as text (a token's header and payload), in the same view. */
export function JsonTextView({ text }: { text: string }) {
  const bytes = useMemo(() => new TextEncoder().encode(text), [text])
  return <JsonView bytes={bytes} contentType="application/json" truncated={false} lineEnds={false} />
}

interface JsonTreeProps {
  doc: JsonDoc
  found: FoundText | null
  query: string
  activeHit: number
}

/**
 * The tree as rows, windowed: one row per value, plus one per closing bracket of an open
 * container. Which containers are open is one byte per node; the rows on screen are read
 * straight from the flat document, so 360,000 nodes cost no more to draw than 30.
 */
function JsonTree({ doc, found, query, activeHit }: JsonTreeProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const [open, setOpen] = useState(() => openDownTo(doc, DEFAULT_OPEN_DEPTH))
  const [selected, setSelected] = useState<number | null>(null)
  const [copied, setCopied] = useState<{ what: string; text: string; ok: boolean } | null>(null)
  const rows = useMemo(() => visibleRows(doc, open), [doc, open])

  // The node of the current hit: its ancestors open, the row scrolled into view.
  const hitNode = found && activeHit >= 0 && activeHit < found.starts.length ? upperBound(doc.keyStarts, found.starts[activeHit]!) - 1 : -1
  useEffect(() => {
    if (hitNode < 0) return
    let closedAncestor = false
    for (let p = doc.parents[hitNode]!; p >= 0; p = doc.parents[p]!) if (!open[p]) closedAncestor = true
    if (!closedAncestor) return
    const next = open.slice()
    for (let p = doc.parents[hitNode]!; p >= 0; p = doc.parents[p]!) next[p] = 1
    setOpen(next)
  }, [hitNode, doc, open])

  // Small trees wrap long values (rows measured as drawn); big ones draw one clipped line per row.
  const wrap = rows.length <= MAX_WRAPPED_ROWS
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 })
  useEffect(() => {
    if (hitNode < 0) return
    const index = rows.indexOf(hitNode)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' })
  }, [hitNode, rows, virtualizer])

  const toggle = (node: number) => {
    const next = open.slice()
    next[node] = next[node] ? 0 : 1
    setOpen(next)
  }
  const copy = (what: 'path' | 'value', node: number) => {
    const text = what === 'path' ? jsonPath(doc, node) : jsonText(doc, node)
    copyText(text).then(
      () => setCopied({ what, text, ok: true }),
      () => setCopied({ what, text, ok: false })
    )
  }

  return (
    <div className="json-view" data-testid="json-view">
      <CutoffNotice cutoff={doc.cutoff} />
      <div className="view-toolbar">
        <button type="button" className="btn btn-small" data-testid="json-expand-all" onClick={() => setOpen(openDownTo(doc, Infinity))}>
          Expand all
        </button>
        <button type="button" className="btn btn-small" data-testid="json-collapse-all" onClick={() => setOpen(openDownTo(doc, 1))}>
          Collapse all
        </button>
        {selected !== null && (
          <>
            <code className="json-selected-path" data-testid="json-selected-path" title="Selected value">
              <RevealedText text={clip(jsonPath(doc, selected))} />
            </code>
            <button type="button" className="btn btn-small" data-testid="json-copy-path" onClick={() => copy('path', selected)}>
              Copy path
            </button>
            <button type="button" className="btn btn-small" data-testid="json-copy-value" onClick={() => copy('value', selected)}>
              Copy value
            </button>
          </>
        )}
        {copied && (
          <span className="muted json-copied" data-testid="json-copied" data-ok={copied.ok}>
            {copied.ok ? `Copied the ${copied.what} (${copied.text.length.toLocaleString('en-US')} characters)` : 'Clipboard unavailable'}
          </span>
        )}
      </div>
      {selected !== null && doc.kinds[selected] === JSON_STRING && (
        <pre className="code-block json-value-panel" data-testid="json-selected-value">
          <RevealedText text={clip(nodeValue(doc, selected))} />
        </pre>
      )}
      <div ref={scrollRef} className={`json-tree code-block ${wrap ? 'wrap' : 'clip'}`}>
        <div className="json-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const entry = rows[item.index]!
            return (
              <div
                key={item.key}
                ref={wrap ? virtualizer.measureElement : undefined}
                data-index={item.index}
                className="json-row"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {entry >= 0 ? (
                  <NodeRow
                    doc={doc}
                    node={entry}
                    open={open[entry] === 1}
                    selected={selected === entry}
                    query={query}
                    active={entry === hitNode}
                    onToggle={toggle}
                    onSelect={setSelected}
                  />
                ) : (
                  <CloseRow doc={doc} node={~entry} />
                )}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}

interface NodeRowProps {
  doc: JsonDoc
  node: number
  open: boolean
  selected: boolean
  query: string
  active: boolean
  onToggle(node: number): void
  onSelect(node: number): void
}

function NodeRow({ doc, node, open, selected, query, active, onToggle, onSelect }: NodeRowProps) {
  const container = isContainer(doc, node)
  const size = doc.sizes[node]!
  const isObject = doc.kinds[node] === JSON_OBJECT
  const comma = hasNextSibling(doc, node) ? <span className="json-punct">,</span> : null
  const classes = ['json-line', container && size > 0 ? 'json-node' : '', selected ? 'selected' : '', active ? 'find-row' : ''].filter(Boolean).join(' ')
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: clicking a row is a mouse shortcut to select a node for Copy path/value; keyboard selection is still missing (see the lint report)
    // biome-ignore lint/a11y/noStaticElementInteractions: same row, same reason
    <div className={classes} style={indent(doc, node)} onClick={() => onSelect(node)} data-testid="json-row">
      {container && size > 0 && (
        <button
          type="button"
          className="json-toggle"
          data-testid="json-toggle"
          aria-expanded={open}
          aria-label={open ? 'Collapse' : 'Expand'}
          onClick={(event) => {
            event.stopPropagation()
            onToggle(node)
          }}
        >
          {open ? '▾' : '▸'}
        </button>
      )}
      {hasKey(doc, node) && (
        <>
          <span className="json-key">
            <Searched text={JSON.stringify(clip(nodeKey(doc, node)))} query={query} />
          </span>
          <span className="json-punct">: </span>
        </>
      )}
      {container ? (
        <>
          <span className="json-punct">{size === 0 ? (isObject ? '{}' : '[]') : isObject ? '{' : '['}</span>
          {size > 0 && !open && (
            <>
              <span className="json-ellipsis" data-testid="json-collapsed">
                …
              </span>
              <span className="json-punct">{isObject ? '}' : ']'}</span>
            </>
          )}
          {(size === 0 || !open) && comma}
          {size > 0 && !open && (
            <span className="json-count">
              {size.toLocaleString('en-US')} {isObject ? (size === 1 ? 'key' : 'keys') : size === 1 ? 'item' : 'items'}
            </span>
          )}
        </>
      ) : (
        <>
          <ScalarText doc={doc} node={node} query={query} />
          {comma}
        </>
      )}
    </div>
  )
}

function CloseRow({ doc, node }: { doc: JsonDoc; node: number }) {
  return (
    <div className="json-line" style={indent(doc, node)}>
      <span className="json-punct">{doc.kinds[node] === JSON_OBJECT ? '}' : ']'}</span>
      {hasNextSibling(doc, node) && <span className="json-punct">,</span>}
    </div>
  )
}

/** A scalar as JSON text; a long string is drawn up to MAX_DRAWN_VALUE_CHARS ("Copy value" has all of it). */
function ScalarText({ doc, node, query }: { doc: JsonDoc; node: number; query: string }) {
  const kind = doc.kinds[node]!
  const className = `json-${kind === JSON_STRING ? 'string' : kind === JSON_NUMBER ? 'number' : kind === JSON_NULL ? 'null' : 'boolean'}`
  if (kind !== JSON_STRING) {
    return (
      <span className={className}>
        <Searched text={formatJsonScalar(doc, node)} query={query} />
      </span>
    )
  }
  const value = nodeValue(doc, node)
  const long = value.length > MAX_DRAWN_VALUE_CHARS
  const shown = long ? JSON.stringify(value.slice(0, MAX_DRAWN_VALUE_CHARS)).slice(0, -1) : JSON.stringify(value)
  return (
    <span className={className}>
      <Searched text={shown} query={query} />
      {long && <span className="more-chars"> … {(value.length - MAX_DRAWN_VALUE_CHARS).toLocaleString('en-US')} more characters"</span>}
    </span>
  )
}

/** Drawn text with the find query marked (hits are counted on the parsed values; here they are only shown). */
function Searched({ text, query }: { text: string; query: string }) {
  const found = query ? findText(text, query, 100) : null
  const highlights = found?.starts.map((start) => ({ start, end: start + found.length, active: false }))
  return <RevealedText text={text} highlights={highlights} />
}

function indent(doc: JsonDoc, node: number) {
  return { paddingLeft: `calc(${doc.depths[node]! * 2}ch + 16px)` }
}

/** Keys and paths longer than this are clipped when drawn (a key can be megabytes long). */
function clip(text: string): string {
  return text.length > MAX_DRAWN_VALUE_CHARS ? text.slice(0, MAX_DRAWN_VALUE_CHARS) + '…' : text
}

/** One byte per node: 1 for containers shallower than `depth`. */
function openDownTo(doc: JsonDoc, depth: number): Uint8Array {
  const open = new Uint8Array(nodeCount(doc))
  for (let i = 0; i < open.length; i++) if (doc.depths[i]! < depth && isContainer(doc, i)) open[i] = 1
  return open
}

/** Rows on screen, in order: a node index for a value's row, `~node` for an open container's closing row. */
function visibleRows(doc: JsonDoc, open: Uint8Array): Int32Array {
  const rows = new IntColumn()
  const pending: number[] = []
  const n = nodeCount(doc)
  let i = 0
  while (i < n) {
    while (pending.length > 0 && doc.ends[pending[pending.length - 1]!]! <= i) rows.push(~pending.pop()!)
    rows.push(i)
    if (isContainer(doc, i) && doc.sizes[i]! > 0 && open[i]) {
      pending.push(i)
      i++
    } else {
      i = doc.ends[i]!
    }
  }
  while (pending.length > 0) rows.push(~pending.pop()!)
  return rows.toArray()
}

import { useVirtualizer } from '@tanstack/react-virtual'
import { type KeyboardEvent, type MouseEvent, useEffect, useId, useMemo, useRef, useState } from 'react'
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
  nodeKey,
  nodeValue
} from '../../../../shared/lib/json-tree'
import { RevealedText } from '../../components/revealed-text'
import { copyText } from '../../lib/clipboard'
import { MAX_DRAWN_VALUE_CHARS, MAX_WRAPPED_ROWS } from './body-budgets'
import type { BodyViewProps } from './body-view-props'
import { useFound } from './find-in-body'
import { treeKeyAction } from './json-tree-keys'
import { isExpandable, openDownTo, openSiblings, visibleNode, visibleRows } from './json-tree-rows'
import { useBodyTask } from './use-body-task'
import { CutoffNotice, ViewPending } from './view-notices'

/** Containers open by default down to this depth. */
const DEFAULT_OPEN_DEPTH = 3
const ROW_HEIGHT = 18
/** Space above the first row and below the last, inside the scroller. */
const TREE_PADDING = 8

export function JsonView({ bytes, contentType, truncated, find, label = 'JSON body' }: BodyViewProps & { label?: string }) {
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
  return <JsonTree doc={parsed.doc} label={label} found={found} query={find?.query ?? ''} activeHit={find?.active ?? -1} />
}

/** JSON the page already has as text (a token's header and payload), in the same view. */
export function JsonTextView({ text, label }: { text: string; label: string }) {
  const bytes = useMemo(() => new TextEncoder().encode(text), [text])
  return <JsonView bytes={bytes} contentType="application/json" truncated={false} lineEnds={false} label={label} />
}

interface JsonTreeProps {
  doc: JsonDoc
  /** The tree's accessible name. */
  label: string
  found: FoundText | null
  query: string
  activeHit: number
}

/** Ctrl/⌘+C copies the active value, Ctrl/⌘+Shift+C its path (as the buttons do). */
const COPY_VALUE_KEYS = 'Control+C Meta+C'
const COPY_PATH_KEYS = 'Control+Shift+C Meta+Shift+C'

/**
 * The tree as rows, windowed: one row per value, plus one per closing bracket of an open
 * container. Which containers are open is one byte per node; the rows on screen are read
 * straight from the flat document, so 360,000 nodes cost no more to draw than 30.
 *
 * A WAI-ARIA tree driven from the keyboard (keys: json-tree-keys.ts). The tree element keeps the
 * focus and points at the active row with aria-activedescendant, so the focus survives the
 * windowing taking rows out of the DOM; the active row is also the selected one (path, copy).
 */
function JsonTree({ doc, label, found, query, activeHit }: JsonTreeProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const rowIdPrefix = useId()
  const [open, setOpen] = useState(() => openDownTo(doc, DEFAULT_OPEN_DEPTH))
  const [selected, setSelected] = useState<number | null>(null)
  const [copied, setCopied] = useState<{ what: string; text: string; ok: boolean } | null>(null)
  // Another body in the same view starts over (state adjusted while rendering, not in an effect).
  const [docShown, setDocShown] = useState(doc)
  if (doc !== docShown) {
    setDocShown(doc)
    setOpen(openDownTo(doc, DEFAULT_OPEN_DEPTH))
    setSelected(null)
  }
  const rows = useMemo(() => visibleRows(doc, open), [doc, open])
  // Closing a container hides the rows inside it: the active row is then the container's.
  const active = selected === null || selected >= doc.kinds.length ? null : visibleNode(doc, open, selected)

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
  // The scroller's vertical padding is the virtualizer's (see .json-tree), so a row scrolled to is wholly in view.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    paddingStart: TREE_PADDING,
    paddingEnd: TREE_PADDING,
    scrollPaddingStart: TREE_PADDING,
    scrollPaddingEnd: TREE_PADDING
  })
  // Scroll to a hit once when it changes (once its row is shown), not again on every open or close.
  const hitScrolled = useRef(-1)
  useEffect(() => {
    if (hitNode < 0) hitScrolled.current = -1
    if (hitNode < 0 || hitScrolled.current === hitNode) return
    const index = rows.indexOf(hitNode)
    if (index < 0) return
    hitScrolled.current = hitNode
    virtualizer.scrollToIndex(index, { align: 'center' })
  }, [hitNode, rows, virtualizer])

  // A row made active from the keyboard is scrolled into the window (and so into the DOM).
  const keyboardMove = useRef(false)
  useEffect(() => {
    if (!keyboardMove.current || active === null) return
    keyboardMove.current = false
    const index = rows.indexOf(active)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' })
  }, [active, rows, virtualizer])

  const setNodeOpen = (node: number, value: boolean) => {
    const next = open.slice()
    next[node] = value ? 1 : 0
    setOpen(next)
  }
  const copy = (what: 'path' | 'value', node: number) => {
    const text = what === 'path' ? jsonPath(doc, node) : jsonText(doc, node)
    copyText(text).then(
      () => setCopied({ what, text, ok: true }),
      () => setCopied({ what, text, ok: false })
    )
  }

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'c') {
      // Text selected with the mouse copies as usual; otherwise the active node's value or path.
      if (active === null || !(window.getSelection()?.isCollapsed ?? true)) return
      event.preventDefault()
      copy(event.shiftKey ? 'path' : 'value', active)
      return
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1)
    const action = treeKeyAction(event.key, doc, open, rows, active ?? -1, page)
    if (!action) return
    event.preventDefault()
    keyboardMove.current = true
    if (action.kind === 'move') setSelected(action.node)
    else if (action.kind === 'set-open') setNodeOpen(action.node, action.open)
    else setOpen(openSiblings(doc, open, action.node))
  }
  // A tree that gets the focus with no active row starts at the first one.
  const onFocus = () => {
    if (active === null && rows.length > 0) setSelected(rows[0]!)
  }
  // Rows select (and toggles toggle) on click through the tree, which keeps the focus for the keys.
  const onClick = (event: MouseEvent) => {
    const target = event.target as Element
    const item = target.closest<HTMLElement>('[role="treeitem"]')
    const node = Number(item?.dataset.node)
    if (!item || !Number.isInteger(node)) return
    setSelected(node)
    if (target.closest('[data-testid="json-toggle"]')) setNodeOpen(node, open[node] !== 1)
    scrollRef.current?.focus({ preventScroll: true })
  }
  const rowId = (node: number) => `${rowIdPrefix}-node-${node}`

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
        {active !== null && (
          <>
            <code className="json-selected-path" data-testid="json-selected-path" title="Selected value">
              <RevealedText text={clip(jsonPath(doc, active))} />
            </code>
            <button
              type="button"
              className="btn btn-small"
              data-testid="json-copy-path"
              title="Copy path (Ctrl/⌘+Shift+C in the tree)"
              aria-keyshortcuts={COPY_PATH_KEYS}
              onClick={() => copy('path', active)}
            >
              Copy path
            </button>
            <button
              type="button"
              className="btn btn-small"
              data-testid="json-copy-value"
              title="Copy value (Ctrl/⌘+C in the tree)"
              aria-keyshortcuts={COPY_VALUE_KEYS}
              onClick={() => copy('value', active)}
            >
              Copy value
            </button>
          </>
        )}
        {copied && (
          <span className="muted json-copied" data-testid="json-copied" data-ok={copied.ok} role="status">
            {copied.ok ? `Copied the ${copied.what} (${copied.text.length.toLocaleString('en-US')} characters)` : 'Clipboard unavailable'}
          </span>
        )}
      </div>
      {active !== null && doc.kinds[active] === JSON_STRING && (
        <pre className="code-block json-value-panel" data-testid="json-selected-value">
          <RevealedText text={clip(nodeValue(doc, active))} />
        </pre>
      )}
      <div
        ref={scrollRef}
        role="tree"
        aria-label={label}
        aria-activedescendant={active !== null ? rowId(active) : undefined}
        aria-keyshortcuts={`${COPY_VALUE_KEYS} ${COPY_PATH_KEYS}`}
        tabIndex={0}
        className={`json-tree code-block ${wrap ? 'wrap' : 'clip'}`}
        data-testid="json-tree"
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onClick={onClick}
      >
        <div className="json-canvas" role="none" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const entry = rows[item.index]!
            return (
              <div
                key={item.key}
                ref={wrap ? virtualizer.measureElement : undefined}
                data-index={item.index}
                className="json-row"
                // A closing bracket is drawn punctuation, not an item of the tree.
                role={entry >= 0 ? 'none' : undefined}
                aria-hidden={entry >= 0 ? undefined : true}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {entry >= 0 ? (
                  <NodeRow
                    doc={doc}
                    node={entry}
                    id={rowId(entry)}
                    open={open[entry] === 1}
                    selected={active === entry}
                    query={query}
                    findHit={entry === hitNode}
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
  /** The DOM id the tree's aria-activedescendant names. */
  id: string
  open: boolean
  selected: boolean
  query: string
  /** The row of the find's current hit. */
  findHit: boolean
}

function NodeRow({ doc, node, id, open, selected, query, findHit }: NodeRowProps) {
  const container = isContainer(doc, node)
  const size = doc.sizes[node]!
  const isObject = doc.kinds[node] === JSON_OBJECT
  const parent = doc.parents[node]!
  const comma = hasNextSibling(doc, node) ? <span className="json-punct">,</span> : null
  const classes = ['json-line', container && size > 0 ? 'json-node' : '', selected ? 'selected' : '', findHit ? 'find-row' : ''].filter(Boolean).join(' ')
  return (
    <div
      role="treeitem"
      id={id}
      aria-level={doc.depths[node]! + 1}
      aria-setsize={parent >= 0 ? doc.sizes[parent]! : 1}
      aria-posinset={doc.slots[node]! + 1}
      aria-expanded={isExpandable(doc, node) ? open : undefined}
      aria-selected={selected}
      // Not in the tab order: the tree holds the focus and points at the active row (aria-activedescendant).
      tabIndex={-1}
      className={classes}
      style={indent(doc, node)}
      data-testid="json-row"
      data-node={node}
    >
      {container && size > 0 && (
        // Clicked through the tree (see onClick there); the row's aria-expanded says what it shows.
        <span className="json-toggle" data-testid="json-toggle" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
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

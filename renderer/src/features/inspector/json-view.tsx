import { useMemo, useState } from 'react'
import { formatJsonScalar, parseJsonTree, type JsonNode } from '../../../../shared/lib/json-tree'

/** Containers open by default down to this depth. */
const DEFAULT_OPEN_DEPTH = 3
/** Children rendered per container before a "show more" button: a 100k-element array stays responsive. */
const CHILD_PAGE = 200

export function JsonView({ text }: { text: string }) {
  const parsed = useMemo(() => parseJsonTree(text), [text])
  // Changing `version` remounts the tree so every node re-reads its default from openDepth.
  const [view, setView] = useState({ openDepth: DEFAULT_OPEN_DEPTH, version: 0 })

  if (!parsed.ok) {
    return (
      <p className="notice" data-testid="json-error">
        Not valid JSON ({parsed.message} at character {parsed.offset}). The Raw tab shows the body as received.
      </p>
    )
  }
  return (
    <div className="json-view" data-testid="json-view">
      <div className="view-toolbar">
        <button type="button" className="btn btn-small" data-testid="json-expand-all" onClick={() => setView((v) => ({ openDepth: Infinity, version: v.version + 1 }))}>
          Expand all
        </button>
        <button type="button" className="btn btn-small" data-testid="json-collapse-all" onClick={() => setView((v) => ({ openDepth: 1, version: v.version + 1 }))}>
          Collapse all
        </button>
      </div>
      <div className="json-tree code-block">
        <JsonNodeView key={view.version} node={parsed.node} label={null} depth={0} openDepth={view.openDepth} comma={false} />
      </div>
    </div>
  )
}

interface JsonNodeViewProps {
  node: JsonNode
  /** Object key (shown quoted) or null for array items and the root. */
  label: string | null
  depth: number
  openDepth: number
  comma: boolean
}

function JsonNodeView({ node, label, depth, openDepth, comma }: JsonNodeViewProps) {
  const [open, setOpen] = useState(depth < openDepth)
  const [shown, setShown] = useState(CHILD_PAGE)
  const key = label === null ? null : <span className="json-key">{JSON.stringify(label)}</span>
  const trailing = comma ? <span className="json-punct">,</span> : null

  if (node.kind !== 'object' && node.kind !== 'array') {
    return (
      <div className="json-line">
        {key}
        {key && <span className="json-punct">: </span>}
        <span className={`json-${node.kind}`}>{formatJsonScalar(node)}</span>
        {trailing}
      </div>
    )
  }

  const isObject = node.kind === 'object'
  const count = isObject ? node.entries.length : node.items.length
  const [openBracket, closeBracket] = isObject ? ['{', '}'] : ['[', ']']
  if (count === 0) {
    return (
      <div className="json-line">
        {key}
        {key && <span className="json-punct">: </span>}
        <span className="json-punct">{openBracket + closeBracket}</span>
        {trailing}
      </div>
    )
  }

  const children = []
  const limit = Math.min(count, shown)
  for (let i = 0; i < limit; i++) {
    const last = i === count - 1
    children.push(
      isObject ? (
        <JsonNodeView key={i} node={node.entries[i]!.value} label={node.entries[i]!.key} depth={depth + 1} openDepth={openDepth} comma={!last} />
      ) : (
        <JsonNodeView key={i} node={node.items[i]!} label={null} depth={depth + 1} openDepth={openDepth} comma={!last} />
      )
    )
  }

  return (
    <div className="json-node">
      <div className="json-line">
        <button
          type="button"
          className="json-toggle"
          data-testid="json-toggle"
          aria-expanded={open}
          aria-label={open ? 'Collapse' : 'Expand'}
          onClick={() => setOpen(!open)}
        >
          {open ? '▾' : '▸'}
        </button>
        {key}
        {key && <span className="json-punct">: </span>}
        <span className="json-punct">{openBracket}</span>
        {!open && (
          <>
            <span className="json-ellipsis" data-testid="json-collapsed">
              …
            </span>
            <span className="json-punct">{closeBracket}</span>
            {trailing}
            <span className="json-count">
              {count} {isObject ? (count === 1 ? 'key' : 'keys') : count === 1 ? 'item' : 'items'}
            </span>
          </>
        )}
      </div>
      {open && (
        <>
          <div className="json-children">
            {children}
            {count > shown && (
              <button type="button" className="btn-link json-more" onClick={() => setShown(shown + 1000)}>
                Show {Math.min(1000, count - shown).toLocaleString()} more of {(count - shown).toLocaleString()}…
              </button>
            )}
          </div>
          <div className="json-line">
            <span className="json-punct">{closeBracket}</span>
            {trailing}
          </div>
        </>
      )}
    </div>
  )
}

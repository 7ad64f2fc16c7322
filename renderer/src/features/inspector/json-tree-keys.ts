import type { JsonDoc } from '../../../../shared/lib/json-tree'
import { targetIndex } from '../deliveries/list-keys'
import { isExpandable } from './json-tree-rows'

/** What a key does to the JSON tree (WAI-ARIA Authoring Practices, "Tree View"). */
export type TreeKeyAction =
  /** Make `node` the active row. */
  | { kind: 'move'; node: number }
  /** Open or close the container `node` (it stays the active row). */
  | { kind: 'set-open'; node: number; open: boolean }
  /** Open `node` and every sibling container of it. */
  | { kind: 'open-siblings'; node: number }

/**
 * The action of a key on the tree whose shown rows are `rows` (see visibleRows) and whose active
 * row shows `active` (-1: none yet). ↑/↓ (and j/k), PageUp/PageDown and Home/End move as in the
 * delivery list, over value rows only (a closing bracket is not an item); → opens a closed
 * container or goes to its first child; ← closes an open one or goes to the parent; Enter and
 * Space toggle; `*` opens the siblings. null: not a key of the tree, or nothing to do.
 */
export function treeKeyAction(key: string, doc: JsonDoc, open: Uint8Array, rows: Int32Array, active: number, page: number): TreeKeyAction | null {
  if (rows.length === 0) return null
  const current = active >= 0 ? rows.indexOf(active) : -1
  const target = targetIndex(key, current, page, rows.length)
  if (target !== null) return { kind: 'move', node: nodeRowNear(rows, target, target >= current) }
  const tree = key === 'ArrowRight' || key === 'ArrowLeft' || key === 'Enter' || key === ' ' || key === '*'
  if (!tree) return null
  if (current < 0) return { kind: 'move', node: rows[0]! }
  const expandable = isExpandable(doc, active)
  const isOpen = expandable && open[active] === 1
  switch (key) {
    case 'ArrowRight':
      if (!expandable) return null
      return isOpen ? { kind: 'move', node: active + 1 } : { kind: 'set-open', node: active, open: true }
    case 'ArrowLeft': {
      if (isOpen) return { kind: 'set-open', node: active, open: false }
      const parent = doc.parents[active]!
      return parent >= 0 ? { kind: 'move', node: parent } : null
    }
    case '*':
      return { kind: 'open-siblings', node: active }
    default:
      return expandable ? { kind: 'set-open', node: active, open: !isOpen } : null
  }
}

/** The node of the value row nearest to row `index`, looking first the way the key moved. */
function nodeRowNear(rows: Int32Array, index: number, forward: boolean): number {
  const step = forward ? 1 : -1
  for (let i = index; i >= 0 && i < rows.length; i += step) if (rows[i]! >= 0) return rows[i]!
  for (let i = index - step; i >= 0 && i < rows.length; i -= step) if (rows[i]! >= 0) return rows[i]!
  return rows[0]!
}

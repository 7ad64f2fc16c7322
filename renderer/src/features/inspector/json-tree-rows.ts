import { IntColumn } from '../../../../shared/lib/budget'
import { isContainer, type JsonDoc, nodeCount } from '../../../../shared/lib/json-tree'

/**
 * Which rows the JSON tree shows. Which containers are open is one byte per node; the rows are
 * node indexes read straight from the flat document (json-tree.ts), so a 360,000-node body costs
 * typed arrays, not objects.
 */

/** One byte per node: 1 for containers shallower than `depth`. */
export function openDownTo(doc: JsonDoc, depth: number): Uint8Array {
  const open = new Uint8Array(nodeCount(doc))
  for (let i = 0; i < open.length; i++) if (doc.depths[i]! < depth && isContainer(doc, i)) open[i] = 1
  return open
}

/** Rows on screen, in order: a node index for a value's row, `~node` for an open container's closing row. */
export function visibleRows(doc: JsonDoc, open: Uint8Array): Int32Array {
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

/** A container that has children to show or hide (an empty `{}` or `[]` is a leaf). */
export function isExpandable(doc: JsonDoc, node: number): boolean {
  return isContainer(doc, node) && doc.sizes[node]! > 0
}

/** The row that shows `node`: itself, or its outermost closed ancestor when one of them is closed. */
export function visibleNode(doc: JsonDoc, open: Uint8Array, node: number): number {
  let shown = node
  for (let p = doc.parents[node]!; p >= 0; p = doc.parents[p]!) if (!open[p]) shown = p
  return shown
}

/** `open` with `node` and every expandable sibling of it opened (the tree's `*` key). */
export function openSiblings(doc: JsonDoc, open: Uint8Array, node: number): Uint8Array {
  const next = open.slice()
  const parent = doc.parents[node]!
  if (parent < 0) {
    if (isExpandable(doc, node)) next[node] = 1
    return next
  }
  for (let child = parent + 1; child < doc.ends[parent]!; child = doc.ends[child]!) if (isExpandable(doc, child)) next[child] = 1
  return next
}

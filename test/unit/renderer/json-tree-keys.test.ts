import { describe, expect, it } from 'vitest'
import { treeKeyAction } from '../../../renderer/src/features/inspector/json-tree-keys'
import { isExpandable, openDownTo, openSiblings, visibleNode, visibleRows } from '../../../renderer/src/features/inspector/json-tree-rows'
import { type JsonDoc, jsonPath, parseJsonTree } from '../../../shared/lib/json-tree'

function docOf(text: string): JsonDoc {
  const result = parseJsonTree(text, { maxNodes: 1_000_000, maxDepth: 500, maxMillis: 60_000 }, () => 0)
  if (!result.ok) throw new Error(result.message)
  return result.doc
}

/**
 * The JSON tree as the view drives it: keys go through treeKeyAction and are applied as
 * json-view.tsx applies them; the result is the active row's path and which paths are open.
 */
function tree(text: string, openDepth = Infinity) {
  const doc = docOf(text)
  let open = openDownTo(doc, openDepth)
  let active = -1
  const press = (...keys: string[]) => {
    for (const key of keys) {
      const action = treeKeyAction(key, doc, open, visibleRows(doc, open), active < 0 ? -1 : visibleNode(doc, open, active), 2)
      if (!action) continue
      if (action.kind === 'move') active = action.node
      else if (action.kind === 'set-open') {
        open = open.slice()
        open[action.node] = action.open ? 1 : 0
      } else open = openSiblings(doc, open, action.node)
    }
    return state()
  }
  const state = () => ({
    active: active < 0 ? null : jsonPath(doc, visibleNode(doc, open, active)),
    open: Array.from(open.keys())
      .filter((node) => open[node] === 1 && isExpandable(doc, node))
      .map((node) => jsonPath(doc, node))
  })
  return { doc, press, action: (key: string) => treeKeyAction(key, doc, open, visibleRows(doc, open), active, 2) }
}

const NESTED = '{"a":{"b":[1,2]},"c":3,"d":{},"e":{"f":{"g":true}}}'

describe('JSON tree keys', () => {
  it('starts at the first row, and moves over value rows only (closing brackets are not items)', () => {
    const t = tree(NESTED)
    expect(t.press('ArrowDown').active).toBe('$')
    expect(t.press('ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown').active).toBe('$.a.b[1]')
    // The next rows are "]" and "}": Down goes past them to "c".
    expect(t.press('ArrowDown').active).toBe('$.c')
    expect(t.press('ArrowUp').active).toBe('$.a.b[1]')
    expect(t.press('j', 'k', 'j').active).toBe('$.c')
  })

  it('goes to the first and last value rows with Home and End, and stops at the ends', () => {
    const t = tree(NESTED)
    expect(t.press('End').active).toBe('$.e.f.g')
    expect(t.press('ArrowDown').active).toBe('$.e.f.g')
    expect(t.press('Home').active).toBe('$')
    expect(t.press('ArrowUp').active).toBe('$')
    expect(t.press('PageDown').active).toBe('$.a.b')
  })

  it('opens a closed container with →, then goes to its first child; does nothing on a leaf or an empty container', () => {
    const t = tree(NESTED, 1)
    expect(t.press('ArrowDown', 'ArrowDown').active).toBe('$.a')
    expect(t.press('ArrowRight')).toEqual({ active: '$.a', open: ['$', '$.a'] })
    expect(t.press('ArrowRight').active).toBe('$.a.b')
    expect(t.press('ArrowRight', 'ArrowRight')).toEqual({ active: '$.a.b[0]', open: ['$', '$.a', '$.a.b'] })
    expect(t.action('ArrowRight')).toBeNull()
    expect(t.press('End').active).toBe('$.e')
    expect(t.press('ArrowUp').active).toBe('$.d')
    expect(t.action('ArrowRight')).toBeNull()
  })

  it('closes an open container with ←, then goes to its parent, and stops at the root', () => {
    const t = tree(NESTED)
    t.press('Home', 'ArrowDown', 'ArrowDown', 'ArrowDown')
    expect(t.press('ArrowLeft').active).toBe('$.a.b')
    expect(t.press('ArrowLeft')).toEqual({ active: '$.a.b', open: ['$', '$.a', '$.e', '$.e.f'] })
    expect(t.press('ArrowLeft', 'ArrowLeft').active).toBe('$.a')
    expect(t.press('ArrowLeft', 'ArrowLeft').active).toBe('$')
    expect(t.press('ArrowLeft').open).toEqual(['$.e', '$.e.f'])
    expect(t.action('ArrowLeft')).toBeNull()
  })

  it('toggles a container with Enter and Space, and not a value', () => {
    const t = tree(NESTED)
    t.press('Home', 'ArrowDown')
    expect(t.press('Enter').open).not.toContain('$.a')
    expect(t.press(' ').open).toContain('$.a')
    expect(t.press('ArrowDown', 'ArrowDown').active).toBe('$.a.b[0]')
    expect(t.action('Enter')).toBeNull()
    expect(t.action(' ')).toBeNull()
  })

  it('opens every sibling container with *', () => {
    const t = tree(NESTED, 1)
    t.press('Home', 'ArrowDown')
    expect(t.press('*')).toEqual({ active: '$.a', open: ['$', '$.a', '$.e'] })
  })

  it('makes a closed ancestor the active row when the active row is hidden inside it', () => {
    const doc = docOf(NESTED)
    const open = openDownTo(doc, Infinity)
    const deep = 4 // $.a.b[1]
    expect(jsonPath(doc, deep)).toBe('$.a.b[1]')
    open[1] = 0 // $.a closed
    open[2] = 0 // and $.a.b inside it
    expect(jsonPath(doc, visibleNode(doc, open, deep))).toBe('$.a')
    expect(visibleNode(doc, openDownTo(doc, Infinity), deep)).toBe(deep)
  })

  it('ignores keys that are not the tree’s, and an empty list of rows', () => {
    const t = tree(NESTED)
    expect(t.action('x')).toBeNull()
    expect(t.action('Tab')).toBeNull()
    const doc = docOf('[]')
    expect(treeKeyAction('ArrowDown', doc, openDownTo(doc, 1), new Int32Array(0), -1, 1)).toBeNull()
  })

  it('reaches the last of 60,000 items with End and comes back with Home', () => {
    const items = Array.from({ length: 60_000 }, (_, i) => ({ id: `item-${i}`, tags: ['a'] }))
    const t = tree(JSON.stringify({ items }))
    expect(t.press('End').active).toBe('$.items[59999].tags[0]')
    expect(t.press('ArrowLeft', 'ArrowLeft').active).toBe('$.items[59999].tags')
    expect(t.press('ArrowLeft').active).toBe('$.items[59999]')
    expect(t.press('Home').active).toBe('$')
  })
})

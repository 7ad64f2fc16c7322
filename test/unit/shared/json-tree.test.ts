import { describe, expect, it } from 'vitest'
import {
  formatJsonScalar,
  JSON_ARRAY,
  JSON_FALSE,
  JSON_NUMBER,
  JSON_OBJECT,
  JSON_STRING,
  JSON_TRUE,
  type JsonDoc,
  type JsonLimits,
  jsonPath,
  jsonText,
  nodeCount,
  nodeKey,
  nodeValue,
  parseJsonTree
} from '../../../shared/lib/json-tree'

const LIMITS: JsonLimits = { maxNodes: 1_000_000, maxDepth: 500, maxMillis: 60_000 }
const clock = () => 0

function parse(text: string, limits: Partial<JsonLimits> = {}) {
  return parseJsonTree(text, { ...LIMITS, ...limits }, clock)
}

function docOf(text: string): JsonDoc {
  const result = parse(text)
  if (!result.ok) throw new Error(`${result.message} at ${result.offset}`)
  return result.doc
}

/** Back to plain JS values, to compare with JSON.parse where both should agree. */
function toPlain(doc: JsonDoc): unknown {
  const values: unknown[] = []
  for (let i = 0; i < nodeCount(doc); i++) {
    const kind = doc.kinds[i]
    const value =
      kind === JSON_OBJECT
        ? {}
        : kind === JSON_ARRAY
          ? []
          : kind === JSON_STRING
            ? nodeValue(doc, i)
            : kind === JSON_NUMBER
              ? Number(nodeValue(doc, i))
              : kind === JSON_TRUE
                ? true
                : kind === JSON_FALSE
                  ? false
                  : null
    values.push(value)
    const parent = doc.parents[i]!
    if (parent < 0) continue
    if (doc.kinds[parent] === JSON_OBJECT) (values[parent] as Record<string, unknown>)[nodeKey(doc, i)] = value
    else (values[parent] as unknown[]).push(value)
  }
  return values[0]
}

/** Key and literal of each child of the root, in document order. */
function rootChildren(doc: JsonDoc): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 1; i < nodeCount(doc); i++) if (doc.parents[i] === 0) out.push([nodeKey(doc, i), nodeValue(doc, i)])
  return out
}

describe('parseJsonTree', () => {
  it('agrees with JSON.parse on valid documents', () => {
    const docs = [
      '{"a":[1,-2.5e+3,true,false,null,"x\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"],"b":{}}',
      ' [ ] ',
      '"only a string"',
      '0',
      '{"nested":{"deep":[[[{"k":"v"}]]]}}',
      '[[],{},[[]],{"a":{}}]'
    ]
    for (const doc of docs) expect(toPlain(docOf(doc)), doc).toEqual(JSON.parse(doc))
  })

  it('keeps key order, duplicate keys and number literals that JSON.parse would lose', () => {
    const doc = docOf('{"b":1,"2":2,"1":3,"b":4,"id":12345678901234567890,"f":1.50}')
    expect(rootChildren(doc)).toEqual([
      ['b', '1'],
      ['2', '2'],
      ['1', '3'],
      ['b', '4'],
      ['id', '12345678901234567890'],
      ['f', '1.50']
    ])
  })

  it('describes the tree: parents, subtree ends, depths, positions and sizes', () => {
    const doc = docOf('{"a":[1,{"b":null}],"c":"x"}')
    // Nodes in document order: {} [a] 1 {} null "c"
    expect(Array.from(doc.parents)).toEqual([-1, 0, 1, 1, 3, 0])
    expect(Array.from(doc.ends)).toEqual([6, 5, 3, 5, 5, 6])
    expect(Array.from(doc.depths)).toEqual([0, 1, 2, 2, 3, 1])
    expect(Array.from(doc.slots)).toEqual([0, 0, 0, 1, 0, 1])
    expect(Array.from(doc.sizes)).toEqual([2, 2, 0, 1, 0, 0])
    expect(doc.cutoff).toBeNull()
  })

  it('rejects what JSON.parse rejects, with an offset', () => {
    const bad = ['', '{', '{"a" 1}', '[1,]', '{"a":1,}', '01', '1.', '"\u0001"', "'x'", 'nul', '[1] 2', '"\\x"', '"\\u12g4"', '{a:1}', '-']
    for (const doc of bad) {
      expect(() => JSON.parse(doc)).toThrow()
      expect(parse(doc).ok, doc).toBe(false)
    }
    expect(parse('{"a": tru}')).toMatchObject({ ok: false, offset: 6 })
  })

  it('stops at the depth budget on hostile nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const result = parse(deep)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.doc.cutoff).toEqual({ limit: 'depth', at: 500, unit: 'levels' })
    expect(nodeCount(result.doc)).toBe(500)
    // Every open container ends with what was read.
    expect(Array.from(result.doc.ends).every((end) => end === 500)).toBe(true)
    expect(parse('[[[1]]]', { maxDepth: 3 })).toMatchObject({ ok: true, doc: { cutoff: null } })
    expect(parse('[[[[1]]]]', { maxDepth: 3 })).toMatchObject({ ok: true, doc: { cutoff: { limit: 'depth', at: 3 } } })
  })

  it('stops at the node budget and at the time budget, keeping what it read', () => {
    const many = JSON.stringify(Array.from({ length: 1000 }, (_, i) => i))
    const byNodes = parse(many, { maxNodes: 101 })
    expect(byNodes).toMatchObject({ ok: true, doc: { cutoff: { limit: 'items', at: 101, unit: 'nodes' } } })
    if (byNodes.ok) expect(toPlain(byNodes.doc)).toEqual(Array.from({ length: 100 }, (_, i) => i))

    let now = 0
    const slowClock = () => (now += 1000)
    const byTime = parseJsonTree(JSON.stringify(Array.from({ length: 100_000 }, () => 1)), { ...LIMITS, maxMillis: 5_000 }, slowClock)
    expect(byTime).toMatchObject({ ok: true, doc: { cutoff: { limit: 'time', at: 5_000, unit: 'ms' } } })
    if (byTime.ok) expect(nodeCount(byTime.doc)).toBeLessThan(100_000)
  })

  it('shows a body cut short up to where it ends, and calls other errors invalid', () => {
    const cut = { limit: 'input' as const, at: 22, unit: 'bytes' as const }
    const result = parseJsonTree('{"a":[1,2],"b":{"c":"unfinish', LIMITS, clock, cut)
    expect(result).toMatchObject({ ok: true, doc: { cutoff: cut } })
    if (result.ok) expect(toPlain(result.doc)).toEqual({ a: [1, 2], b: {} })
    // An error before the end is still an error.
    expect(parseJsonTree('{"a":[1,,2],"b":{"c":"unfinish', LIMITS, clock, cut).ok).toBe(false)
  })

  it('skips a leading BOM', () => {
    expect(parse('\ufeff{"a":1}').ok).toBe(true)
  })
})

describe('formatJsonScalar', () => {
  it('quotes and escapes strings, keeps number text', () => {
    const doc = docOf('["a\\"b\\n<script>", 1.50, false, null]')
    expect([1, 2, 3, 4].map((node) => formatJsonScalar(doc, node))).toEqual(['"a\\"b\\n<script>"', '1.50', 'false', 'null'])
  })
})

describe('jsonPath and jsonText', () => {
  const doc = docOf('{"items":[{"id":"item-0","qty":12345678901234567890},{"odd key":[],"x":{}}],"n":null}')
  const find = (key: string) => Array.from({ length: nodeCount(doc) }, (_, i) => i).find((i) => nodeKey(doc, i) === key)!

  it('names a node as a JSONPath, quoting keys that are not identifiers', () => {
    expect(jsonPath(doc, 0)).toBe('$')
    expect(jsonPath(doc, find('qty'))).toBe('$.items[0].qty')
    expect(jsonPath(doc, find('odd key'))).toBe('$.items[1]["odd key"]')
  })

  it('copies a value as JSON text exactly as parsed, a string as its text', () => {
    expect(jsonText(doc, find('id'))).toBe('item-0')
    expect(jsonText(doc, find('qty'))).toBe('12345678901234567890')
    expect(jsonText(doc, find('items'))).toBe(
      ['[', '  {', '    "id": "item-0",', '    "qty": 12345678901234567890', '  },', '  {', '    "odd key": [],', '    "x": {}', '  }', ']'].join('\n')
    )
    expect(JSON.parse(jsonText(doc, 0))).toEqual(JSON.parse('{"items":[{"id":"item-0","qty":12345678901234567890},{"odd key":[],"x":{}}],"n":null}'))
  })
})

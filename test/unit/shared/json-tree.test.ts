import { describe, expect, it } from 'vitest'
import { formatJsonScalar, parseJsonTree, type JsonNode } from '../../../shared/lib/json-tree'

/** Back to plain JS values, to compare with JSON.parse where both should agree. */
function toPlain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]))
    case 'array':
      return node.items.map(toPlain)
    case 'number':
      return Number(node.raw)
    case 'string':
    case 'boolean':
      return node.value
    case 'null':
      return null
  }
}

describe('parseJsonTree', () => {
  it('agrees with JSON.parse on valid documents', () => {
    const docs = [
      '{"a":[1,-2.5e+3,true,false,null,"x\\"y\\\\z\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00"],"b":{}}',
      ' [ ] ',
      '"only a string"',
      '0',
      '{"nested":{"deep":[[[{"k":"v"}]]]}}'
    ]
    for (const doc of docs) {
      const result = parseJsonTree(doc)
      expect(result.ok).toBe(true)
      if (result.ok) expect(toPlain(result.node)).toEqual(JSON.parse(doc))
    }
  })

  it('keeps key order, duplicate keys and number literals that JSON.parse would lose', () => {
    const result = parseJsonTree('{"b":1,"2":2,"1":3,"b":4,"id":12345678901234567890,"f":1.50}')
    expect(result.ok).toBe(true)
    if (!result.ok || result.node.kind !== 'object') throw new Error('expected an object')
    expect(result.node.entries.map((e) => e.key)).toEqual(['b', '2', '1', 'b', 'id', 'f'])
    const raw = result.node.entries.map((e) => (e.value.kind === 'number' ? e.value.raw : ''))
    expect(raw).toEqual(['1', '2', '3', '4', '12345678901234567890', '1.50'])
  })

  it('rejects what JSON.parse rejects, with an offset', () => {
    const bad = ['', '{', '{"a" 1}', '[1,]', '{"a":1,}', '01', '1.', '"\u0001"', "'x'", 'nul', '[1] 2', '"\\x"', '"\\u12g4"', '{a:1}', '-']
    for (const doc of bad) {
      expect(() => JSON.parse(doc)).toThrow()
      const result = parseJsonTree(doc)
      expect(result.ok, doc).toBe(false)
    }
    const result = parseJsonTree('{"a": tru}')
    expect(result).toMatchObject({ ok: false, offset: 6 })
  })

  it('refuses hostile nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const result = parseJsonTree(deep)
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/nested deeper/) })
    expect(parseJsonTree('[[[1]]]', 3).ok).toBe(true)
    expect(parseJsonTree('[[[[1]]]]', 3).ok).toBe(false)
  })

  it('skips a leading BOM', () => {
    expect(parseJsonTree('\ufeff{"a":1}').ok).toBe(true)
  })
})

describe('formatJsonScalar', () => {
  it('quotes and escapes strings, keeps number text', () => {
    expect(formatJsonScalar({ kind: 'string', value: 'a"b\n<script>' })).toBe('"a\\"b\\n<script>"')
    expect(formatJsonScalar({ kind: 'number', raw: '1.50' })).toBe('1.50')
    expect(formatJsonScalar({ kind: 'boolean', value: false })).toBe('false')
    expect(formatJsonScalar({ kind: 'null' })).toBe('null')
  })
})

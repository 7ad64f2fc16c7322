import { describe, expect, it } from 'vitest'
import { diffBodies, diffHeaders, foldUnchanged, MAX_DIFF_BYTES } from '../../../renderer/src/features/diff/delivery-diff'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('diffHeaders', () => {
  it('pairs headers by name whatever their case, in first-seen order, and classifies each', () => {
    const rows = diffHeaders(
      [
        ['Content-Type', 'application/json'],
        ['Webhook-Signature', 'v1,old'],
        ['X-Only-Left', '1'],
        ['Accept', 'a'],
        ['Accept', 'b']
      ],
      [
        ['content-type', 'application/json'],
        ['webhook-signature', 'v1,new'],
        ['Accept', 'b'],
        ['Accept', 'a'],
        ['X-Only-Right', '2']
      ]
    )
    expect(rows.map((row) => [row.name, row.change])).toEqual([
      ['Content-Type', 'same'],
      ['Webhook-Signature', 'changed'],
      ['X-Only-Left', 'removed'],
      ['Accept', 'changed'],
      ['X-Only-Right', 'added']
    ])
    expect(rows[1]).toMatchObject({ left: ['v1,old'], right: ['v1,new'] })
  })
})

describe('diffBodies', () => {
  it('compares JSON bodies canonically: key order and whitespace are not changes, values are', () => {
    const diff = diffBodies(bytes('{"b":1,"a":{"x":"old"}}'), bytes('{\n  "a": {"x": "new"},\n  "b": 1\n}'))
    expect(diff).toMatchObject({ kind: 'json', equal: false })
    if (diff.kind !== 'json') throw new Error('not json')
    expect(diff.lines.filter((line) => line.op === 'remove').map((line) => line.text.trim())).toEqual(['"x": "old"'])
    expect(diff.lines.filter((line) => line.op === 'add').map((line) => line.text.trim())).toEqual(['"x": "new"'])
  })

  it('says when the bytes differ but the JSON does not (a re-serialised body)', () => {
    const diff = diffBodies(bytes('{"a":1,"b":2}'), bytes('{"b": 2, "a": 1}'))
    expect(diff).toMatchObject({ kind: 'json', equal: false })
    if (diff.kind !== 'json') throw new Error('not json')
    expect(diff.lines.every((line) => line.op === 'same')).toBe(true)
  })

  it('diffs text line by line, and only compares binary or huge bodies byte for byte', () => {
    const text = diffBodies(bytes('a\nb\nc\n'), bytes('a\nB\nc\n'))
    expect(text).toMatchObject({ kind: 'text', equal: false })
    if (text.kind !== 'text') throw new Error('not text')
    expect(text.lines).toEqual([
      { op: 'same', text: 'a' },
      { op: 'remove', text: 'b' },
      { op: 'add', text: 'B' },
      { op: 'same', text: 'c' }
    ])
    expect(diffBodies(new Uint8Array([0xff, 0xfe]), new Uint8Array([0xff, 0xfe]))).toEqual({ kind: 'binary', equal: true, leftSize: 2, rightSize: 2 })
    expect(diffBodies(new Uint8Array(MAX_DIFF_BYTES + 1), new Uint8Array(1))).toMatchObject({ kind: 'too-large', equal: false })
    expect(diffBodies(bytes('same'), bytes('same'))).toMatchObject({ kind: 'text', equal: true })
  })
})

describe('foldUnchanged', () => {
  it('keeps context around changes and folds the rest', () => {
    const lines = Array.from({ length: 20 }, (_, index) => ({ op: index === 10 ? ('add' as const) : ('same' as const), text: String(index) }))
    const folded = foldUnchanged(lines, 2)
    expect(folded).toEqual([{ op: 'fold', count: 8 }, ...lines.slice(8, 13), { op: 'fold', count: 7 }])
  })
})

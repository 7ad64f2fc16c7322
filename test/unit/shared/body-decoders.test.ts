import { describe, expect, it } from 'vitest'
import { Deadline } from '../../../shared/lib/budget'
import { findText, hitsIn, upperBound } from '../../../shared/lib/find-text'
import { formFields, parseFormUrlencoded } from '../../../shared/lib/form-urlencoded'
import { rowCount, rowText, splitLines } from '../../../shared/lib/line-doc'
import { parseMultipart } from '../../../shared/lib/multipart'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const clock = () => 0
const rows = (doc: Parameters<typeof rowText>[0]) => Array.from({ length: rowCount(doc) }, (_, row) => rowText(doc, row))

describe('Deadline', () => {
  it('reads the clock only every stride calls and stays expired', () => {
    let now = 0
    let reads = 0
    const deadline = new Deadline(
      () => {
        reads++
        return now
      },
      100,
      4
    )
    expect([deadline.passed(), deadline.passed(), deadline.passed(), deadline.passed()]).toEqual([false, false, false, false])
    now = 101
    expect([deadline.passed(), deadline.passed(), deadline.passed(), deadline.passed()]).toEqual([false, false, false, true])
    expect(deadline.passed()).toBe(true)
    expect(reads).toBe(3) // once at construction, then once per stride
  })
})

describe('splitLines', () => {
  it('keeps every character: rows joined with \\n give the text back', () => {
    for (const text of ['', 'a', 'a\n', '\n\n', 'one\r\ntwo\nthree', 'x'.repeat(10_000)]) {
      const doc = splitLines(text, { maxRows: 100, maxMillis: 1000 }, clock)
      expect(rows(doc).join('\n'), JSON.stringify(text.slice(0, 20))).toBe(text)
      expect(doc.cutoff).toBeNull()
    }
  })

  it('stops after maxRows complete rows', () => {
    const doc = splitLines('a\nb\nc\nd', { maxRows: 2, maxMillis: 1000 }, clock)
    expect(rows(doc)).toEqual(['a', 'b'])
    expect(doc.text).toBe('a\nb')
    expect(doc.cutoff).toEqual({ limit: 'items', at: 2, unit: 'lines' })
  })
})

describe('formFields', () => {
  const fields = (body: string) => {
    const doc = formFields(utf8(body), { maxFields: 1000, maxMillis: 1000 }, clock)
    return Array.from(doc.nameStarts, (start, i) => [doc.pool.slice(start, doc.valueStarts[i]), doc.pool.slice(doc.valueStarts[i], doc.valueEnds[i])])
  }

  it('reads fields as parseFormUrlencoded does, flat', () => {
    for (const body of ['b=2&a=1&b=3&name=J%C3%BCrgen+M&empty=&flag', '&&a=1&&', '%E9=%ff%fe', 'a=b=c', '=x', 'k=%F0%9F%98%80']) {
      expect(fields(body), body).toEqual(parseFormUrlencoded(utf8(body)))
    }
  })

  it('says when a body is not form data', () => {
    const reason = (body: string) => formFields(utf8(body), { maxFields: 10, maxMillis: 1000 }, clock).notForm
    expect(reason('{"a":"b=c"}')).toMatch(/starts with '\{'/)
    expect(reason('<a x="1=2"/>')).toMatch(/starts with '<'/)
    expect(reason('a=1 b=2')).toMatch(/a space/)
    expect(reason('a=1\nb=2')).toMatch(/a line break/)
    expect(reason('just words')).toMatch(/a space/)
    expect(reason('plain')).toMatch(/no '='/)
    expect(reason('a=1&b=2\r\n')).toBeNull()
    expect(reason('name=Jos\u00e9')).toBeNull()
  })

  it('stops at the field budget', () => {
    const doc = formFields(utf8(Array.from({ length: 100 }, (_, i) => `f${i}=${i}`).join('&')), { maxFields: 10, maxMillis: 1000 }, clock)
    expect(doc.nameStarts.length).toBe(10)
    expect(doc.cutoff).toEqual({ limit: 'items', at: 10, unit: 'fields' })
  })
})

describe('parseMultipart', () => {
  const limits = { maxParts: 100, maxHeaders: 10, maxMillis: 1000 }
  const body =
    '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nhello\r\n' +
    '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n\u0000\u0001\r\n\r\n' +
    '--XyZ--\r\n'

  it('lists parts with their header lines and body ranges', () => {
    const bytes = utf8(body)
    const doc = parseMultipart(bytes, 'XyZ', limits, clock)
    expect(doc.notMultipart).toBeNull()
    expect(doc.problem).toBeNull()
    expect(doc.parts.map((p) => p.headers)).toEqual([
      [['Content-Disposition', 'form-data; name="a"']],
      [
        ['Content-Disposition', 'form-data; name="f"; filename="x.bin"'],
        ['Content-Type', 'application/octet-stream']
      ]
    ])
    expect(doc.parts.map((p) => Array.from(bytes.subarray(p.bodyStart, p.bodyEnd)))).toEqual([Array.from(utf8('hello')), [0, 1, 13, 10]])
  })

  it('sniffs the boundary, accepts LF line ends, and reports a missing close', () => {
    const doc = parseMultipart(utf8('--b1\nA: 1\n\nfirst\n--b1\n\nsecond, cut'), null, limits, clock)
    expect(doc.boundary).toBe('b1')
    expect(doc.parts.map((p) => p.headers)).toEqual([[['A', '1']], []])
    expect(doc.problem).toMatch(/closing delimiter is missing/)
  })

  it('says when it is not multipart, and stops at the part budget', () => {
    expect(parseMultipart(utf8('{"a":1}'), null, limits, clock).notMultipart).toMatch(/no boundary/)
    expect(parseMultipart(utf8('{"a":1}'), 'zz', limits, clock).notMultipart).toMatch(/does not occur/)
    const many = Array.from({ length: 50 }, (_, i) => `--q\r\n\r\n${i}\r\n`).join('') + '--q--'
    const doc = parseMultipart(utf8(many), 'q', { ...limits, maxParts: 5 }, clock)
    expect(doc.parts).toHaveLength(5)
    expect(doc.cutoff).toEqual({ limit: 'items', at: 5, unit: 'parts' })
  })
})

describe('findText', () => {
  it('finds literal text case-insensitively, capped', () => {
    expect(findText('Foo foo FOO', 'foo')).toEqual({ starts: [0, 4, 8], length: 3, capped: false })
    expect(findText('a.b a*b', '.').starts).toEqual([1])
    expect(findText('aaaa', 'a', 2)).toEqual({ starts: [0, 1], length: 1, capped: true })
    expect(findText('abc', '').starts).toEqual([])
  })

  it('maps hits onto a stretch of the text', () => {
    const found = findText('xxabxxabxx', 'ab')
    expect(hitsIn(found, 3, 8, 1)).toEqual([
      { start: -1, end: 1, active: false },
      { start: 3, end: 5, active: true }
    ])
    expect(upperBound([1, 3, 3, 7], 3)).toBe(3)
    expect(upperBound([1, 3, 3, 7], 0)).toBe(0)
  })
})

import { describe, expect, it } from 'vitest'
import { parseFormUrlencoded } from '../../../shared/lib/form-urlencoded'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('parseFormUrlencoded', () => {
  it('decodes pairs in order with duplicates, + as space and UTF-8 escapes', () => {
    expect(parseFormUrlencoded(utf8('b=2&a=1&b=3&name=J%C3%BCrgen+M&empty=&flag'))).toEqual([
      ['b', '2'],
      ['a', '1'],
      ['b', '3'],
      ['name', 'Jürgen M'],
      ['empty', ''],
      ['flag', '']
    ])
  })

  it('matches URLSearchParams (the WHATWG reference) on awkward inputs', () => {
    const inputs = ['&&a=1&&', '%zz=%4', '%E9=%ff%fe', 'a=b=c', '=x', '%2B+%2b', 'k=%F0%9F%98%80', '', 'a%', 'a=%4g1']
    for (const input of inputs) {
      expect(parseFormUrlencoded(utf8(input)), input).toEqual([...new URLSearchParams(input)])
    }
  })
})

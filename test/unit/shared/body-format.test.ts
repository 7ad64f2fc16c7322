import { describe, expect, it } from 'vitest'
import { detectBodyFormat } from '../../../shared/lib/body-format'
import { parseContentType } from '../../../shared/lib/content-type'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('parseContentType', () => {
  it('lowercases the media type and reads a quoted charset', () => {
    expect(parseContentType('Application/JSON; Charset="UTF-8"')).toEqual({ mediaType: 'application/json', charset: 'utf-8' })
    expect(parseContentType('text/plain;foo=bar;charset=ISO-8859-1')).toEqual({ mediaType: 'text/plain', charset: 'iso-8859-1' })
  })

  it('gives an empty media type for junk', () => {
    expect(parseContentType(null)).toEqual({ mediaType: '', charset: null })
    expect(parseContentType('json')).toEqual({ mediaType: '', charset: null })
    expect(parseContentType('a/b/c')).toEqual({ mediaType: '', charset: null })
  })
})

describe('detectBodyFormat', () => {
  it('trusts declared types for text bodies', () => {
    expect(detectBodyFormat('application/json', utf8('{"a":1}'))).toBe('json')
    expect(detectBodyFormat('application/vnd.api+json', utf8('[]'))).toBe('json')
    expect(detectBodyFormat('application/x-www-form-urlencoded', utf8('a=1&b=2'))).toBe('form')
    expect(detectBodyFormat('text/xml; charset=utf-8', utf8('<a/>'))).toBe('xml')
    expect(detectBodyFormat('application/soap+xml', utf8('<a/>'))).toBe('xml')
    expect(detectBodyFormat('text/csv', utf8('a,b\n1,2'))).toBe('text')
  })

  it('is empty for no bytes whatever the type says', () => {
    expect(detectBodyFormat('application/json', new Uint8Array(0))).toBe('empty')
  })

  it('sniffs mislabelled or unlabelled bodies', () => {
    expect(detectBodyFormat('text/plain; charset=UTF-8', utf8(' {"Type":"Notification"}'))).toBe('json')
    expect(detectBodyFormat(null, utf8('\ufeff[1,2]'))).toBe('json')
    expect(detectBodyFormat(null, utf8('[INFO] not json'))).toBe('text')
    expect(detectBodyFormat(null, utf8('<?xml version="1.0"?><r/>\n'))).toBe('xml')
    expect(detectBodyFormat('application/octet-stream', utf8('<note>hi</note>'))).toBe('xml')
    expect(detectBodyFormat(null, utf8('a < b'))).toBe('text')
    expect(detectBodyFormat(null, utf8('hello'))).toBe('text')
  })

  it('calls bytes binary when they cannot be text, even under a text type', () => {
    expect(detectBodyFormat('application/json', Uint8Array.from([0x7b, 0xff, 0x7d]))).toBe('binary')
    expect(detectBodyFormat('text/plain', Uint8Array.from([0x61, 0x00, 0x62]))).toBe('binary')
    expect(detectBodyFormat(null, Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('binary')
  })

  it('accepts non-UTF-8 bytes as text when a legacy charset is declared', () => {
    expect(detectBodyFormat('text/plain; charset=iso-8859-1', Uint8Array.from([0x63, 0x61, 0x66, 0xe9]))).toBe('text')
    expect(detectBodyFormat('text/plain', Uint8Array.from([0x63, 0x61, 0x66, 0xe9]))).toBe('binary')
  })

  it('keeps tabs, CRLF and ESC as text', () => {
    expect(detectBodyFormat(null, utf8('a\tb\r\nc\u001b[0m'))).toBe('text')
  })
})

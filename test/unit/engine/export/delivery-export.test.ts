import { describe, expect, it } from 'vitest'
import {
  absoluteUrl,
  HAR_FOOTER,
  harHeader,
  toHarEntry,
  toNdjson,
  type StoredDelivery
} from '../../../../electron/engine/export/delivery-export'

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i))

function delivery(overrides: Partial<StoredDelivery> = {}): StoredDelivery {
  return {
    id: '01m85j6mjefqw56zpj8ff9cjxb',
    endpointId: 'default',
    receivedAt: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
    durationMs: 1.25,
    method: 'POST',
    url: '/hooks/github?x=1&y=a%20b&x=2',
    httpVersion: '1.1',
    contentType: 'application/json',
    bodySize: 17,
    truncated: false,
    responseStatus: 200,
    remoteAddress: '127.0.0.1',
    remotePort: 50123,
    verdict: null,
    secure: false,
    eventType: null,
    headers: [
      ['Host', '127.0.0.1:8080'],
      ['Content-Type', 'application/json'],
      ['X-Dup', 'one'],
      ['x-dup', 'two']
    ],
    body: Buffer.from('{"hello":"wörld"}'),
    ...overrides
  }
}

describe('absoluteUrl', () => {
  it('rebuilds the URL from the Host header', () => {
    expect(absoluteUrl(delivery())).toBe('http://127.0.0.1:8080/hooks/github?x=1&y=a%20b&x=2')
  })

  it('finds the Host header whatever its case', () => {
    expect(absoluteUrl(delivery({ headers: [['hOsT', 'example.test:9000']], url: '/a' }))).toBe('http://example.test:9000/a')
  })

  it('uses the first Host header when there are several', () => {
    expect(absoluteUrl(delivery({ headers: [['Host', 'first:1'], ['Host', 'second:2']], url: '/' }))).toBe('http://first:1/')
  })

  it('falls back to localhost without a Host header (HTTP/1.0)', () => {
    expect(absoluteUrl(delivery({ headers: [], url: '/x' }))).toBe('http://localhost/x')
  })

  it('keeps IPv6 hosts as sent', () => {
    expect(absoluteUrl(delivery({ headers: [['Host', '[::1]:8080']], url: '/v6' }))).toBe('http://[::1]:8080/v6')
  })

  it('keeps an absolute-form request target as it is', () => {
    expect(absoluteUrl(delivery({ url: 'http://proxy.example/p?q=1' }))).toBe('http://proxy.example/p?q=1')
    expect(absoluteUrl(delivery({ url: 'HTTPS://proxy.example/' }))).toBe('HTTPS://proxy.example/')
  })

  it('adds the slash an asterisk-form or odd target lacks', () => {
    expect(absoluteUrl(delivery({ url: '*' }))).toBe('http://127.0.0.1:8080/*')
  })
})

describe('toNdjson', () => {
  it('has exactly the documented fields, headers as ordered pairs and the body as base64', () => {
    const line = toNdjson(delivery({ body: ALL_BYTES, bodySize: 256, contentType: 'application/octet-stream' }))
    expect(Object.keys(line)).toEqual([
      'id',
      'endpoint',
      'receivedAt',
      'method',
      'url',
      'httpVersion',
      'headers',
      'bodyBase64',
      'bodySize',
      'truncated',
      'remoteAddress',
      'remotePort',
      'responseStatus',
      'tls'
    ])
    expect(line).toEqual({
      id: '01m85j6mjefqw56zpj8ff9cjxb',
      endpoint: 'default',
      receivedAt: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
      method: 'POST',
      url: 'http://127.0.0.1:8080/hooks/github?x=1&y=a%20b&x=2',
      httpVersion: '1.1',
      headers: [
        ['Host', '127.0.0.1:8080'],
        ['Content-Type', 'application/json'],
        ['X-Dup', 'one'],
        ['x-dup', 'two']
      ],
      bodyBase64: ALL_BYTES.toString('base64'),
      bodySize: 256,
      truncated: false,
      remoteAddress: '127.0.0.1',
      remotePort: 50123,
      responseStatus: 200,
      tls: null
    })
    // Round trip through JSON (what the file holds) gives the same bytes back.
    const parsed = JSON.parse(JSON.stringify(line)) as { bodyBase64: string }
    expect(Buffer.from(parsed.bodyBase64, 'base64').equals(ALL_BYTES)).toBe(true)
  })

  it('reports truncation: bodySize is what was sent, the base64 what was kept', () => {
    const line = toNdjson(delivery({ body: Buffer.from('abc'), bodySize: 10_000, truncated: true, responseStatus: 413 }))
    expect(line).toMatchObject({ bodyBase64: 'YWJj', bodySize: 10_000, truncated: true, responseStatus: 413 })
  })
})

describe('toHarEntry', () => {
  it('writes a UTF-8 body as text, with the request as sent', () => {
    const entry = toHarEntry(delivery())
    expect(entry.startedDateTime).toBe('2025-01-02T03:04:05.678Z')
    expect(entry.time).toBe(1.25)
    expect(entry.request).toEqual({
      method: 'POST',
      url: 'http://127.0.0.1:8080/hooks/github?x=1&y=a%20b&x=2',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [
        { name: 'Host', value: '127.0.0.1:8080' },
        { name: 'Content-Type', value: 'application/json' },
        { name: 'X-Dup', value: 'one' },
        { name: 'x-dup', value: 'two' }
      ],
      queryString: [
        { name: 'x', value: '1' },
        { name: 'y', value: 'a b' },
        { name: 'x', value: '2' }
      ],
      postData: { mimeType: 'application/json', text: '{"hello":"wörld"}' },
      headersSize: -1,
      bodySize: 17
    })
    expect(entry.response.status).toBe(200)
    expect(entry._hookscope).toEqual({
      id: '01m85j6mjefqw56zpj8ff9cjxb',
      endpoint: 'default',
      truncated: false,
      remoteAddress: '127.0.0.1',
      remotePort: 50123
    })
  })

  it('writes a binary body as base64 with _encoding, losslessly', () => {
    const entry = toHarEntry(delivery({ body: ALL_BYTES, bodySize: 256, contentType: null }))
    expect(entry.request.postData).toEqual({ mimeType: '', text: ALL_BYTES.toString('base64'), _encoding: 'base64' })
    expect(Buffer.from(entry.request.postData!.text, 'base64').equals(ALL_BYTES)).toBe(true)
  })

  it('treats invalid UTF-8 (a lone continuation byte) as binary', () => {
    const body = Buffer.from([0x61, 0x80, 0x62])
    expect(toHarEntry(delivery({ body, bodySize: 3 })).request.postData).toMatchObject({ _encoding: 'base64', text: body.toString('base64') })
  })

  it('has no postData for an empty body, but keeps a truncated-to-nothing body visible', () => {
    expect(toHarEntry(delivery({ method: 'GET', body: Buffer.alloc(0), bodySize: 0 })).request).not.toHaveProperty('postData')
    const truncated = toHarEntry(delivery({ body: Buffer.alloc(0), bodySize: 5, truncated: true }))
    expect(truncated.request.postData).toEqual({ mimeType: 'application/json', text: '' })
    expect(truncated.request.bodySize).toBe(5)
  })

  it('gives every field HAR 1.2 requires', () => {
    const entry = toHarEntry(delivery())
    for (const key of ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings']) expect(entry).toHaveProperty(key)
    for (const key of ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize']) {
      expect(entry.request).toHaveProperty(key)
    }
    for (const key of ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize']) {
      expect(entry.response).toHaveProperty(key)
    }
    expect(entry.response.content).toHaveProperty('mimeType')
    expect(entry.response.content).toHaveProperty('size')
    for (const key of ['send', 'wait', 'receive'] as const) expect(typeof entry.timings[key]).toBe('number')
  })

  it('ignores a query string that cannot be parsed', () => {
    expect(toHarEntry(delivery({ headers: [['Host', 'bad host:1']], url: '/?a=1' })).request.queryString).toEqual([])
  })
})

describe('HAR document', () => {
  it('header + entries + footer is one valid HAR 1.2 document', () => {
    const text = harHeader('1.2.3"x') + [delivery(), delivery({ id: 'two' })].map((d) => JSON.stringify(toHarEntry(d))).join(',') + HAR_FOOTER
    const har = JSON.parse(text) as { log: { version: string; creator: { name: string; version: string }; entries: unknown[] } }
    expect(har.log.version).toBe('1.2')
    expect(har.log.creator).toEqual({ name: 'Hookscope', version: '1.2.3"x' })
    expect(har.log.entries).toHaveLength(2)
    expect(JSON.parse(harHeader('1') + HAR_FOOTER)).toEqual({ log: { version: '1.2', creator: { name: 'Hookscope', version: '1' }, entries: [] } })
  })
})

import { describe, expect, it } from 'vitest'
import { HAR_FOOTER, harHeader, toHarEntry, toNdjson } from '../../../../electron/engine/export/delivery-export'
import type { StoredDelivery } from '../../../../electron/engine/store/stored-delivery'

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
    trailers: [],
    verdictDetail: null,
    tls: null,
    source: { kind: 'listener' },
    response: { headers: [['Content-Type', 'application/json']], body: Buffer.from('{"id":"01m85j6mjefqw56zpj8ff9cjxb"}'), bodyTruncated: false },
    ...overrides
  }
}

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
      'latin1Headers',
      'trailers',
      'latin1Trailers',
      'bodyBase64',
      'bodySize',
      'truncated',
      'remoteAddress',
      'remotePort',
      'responseStatus',
      'response',
      'tls',
      'source'
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
      latin1Headers: [],
      trailers: [],
      latin1Trailers: [],
      bodyBase64: ALL_BYTES.toString('base64'),
      bodySize: 256,
      truncated: false,
      remoteAddress: '127.0.0.1',
      remotePort: 50123,
      responseStatus: 200,
      response: {
        headers: [['Content-Type', 'application/json']],
        bodyBase64: Buffer.from('{"id":"01m85j6mjefqw56zpj8ff9cjxb"}').toString('base64'),
        bodyTruncated: false
      },
      tls: null,
      source: { kind: 'listener' }
    })
    // Round trip through JSON (what the file holds) gives the same bytes back.
    const parsed = JSON.parse(JSON.stringify(line)) as { bodyBase64: string }
    expect(Buffer.from(parsed.bodyBase64, 'base64').equals(ALL_BYTES)).toBe(true)
  })

  it('says which tunnel a delivery came through, and whether smee re-serialised it', () => {
    const source = { kind: 'tunnel', provider: 'smee', publicUrl: 'https://smee.io/chan?x=1', reserialized: true } as const
    expect(toNdjson(delivery({ source })).source).toEqual(source)
    expect(toHarEntry(delivery({ source }))._hookscope.source).toEqual(source)
  })

  it('gives UTF-8 header values as text, and any other value as its bytes (Latin-1), listed by index', () => {
    // Byte strings, as Node hands them over: "café" sent as UTF-8, then as Latin-1 (0xE9).
    const utf8 = Buffer.from('café', 'utf8').toString('latin1')
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]).toString('latin1')
    const line = toNdjson(
      delivery({
        headers: [
          ['X-Utf8', utf8],
          ['X-Latin1', latin1],
          ['X-Ascii', 'plain']
        ],
        trailers: [['X-Checksum', latin1]]
      })
    )
    expect(line.headers).toEqual([
      ['X-Utf8', 'café'],
      ['X-Latin1', 'caf\u00e9'],
      ['X-Ascii', 'plain']
    ])
    expect(line.latin1Headers).toEqual([1])
    expect(line.trailers).toEqual([['X-Checksum', 'caf\u00e9']])
    expect(line.latin1Trailers).toEqual([0])
    // The documented way back to the bytes: UTF-8 for the text ones, one byte per character for the listed ones.
    const bytes = line.headers.map(([, value], index) => Buffer.from(value, line.latin1Headers.includes(index) ? 'latin1' : 'utf8'))
    expect(bytes.map((b) => b.toString('hex'))).toEqual([Buffer.from('café').toString('hex'), '636166e9', Buffer.from('plain').toString('hex')])
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
      remotePort: 50123,
      source: { kind: 'listener' },
      trailers: []
    })
    expect(entry.response.headers).toEqual([{ name: 'Content-Type', value: 'application/json' }])
    expect(entry.response.content).toEqual({ size: 35, mimeType: 'application/json', text: '{"id":"01m85j6mjefqw56zpj8ff9cjxb"}' })
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

import { describe, expect, it } from 'vitest'
import { outgoingHeaders } from '../../../../electron/engine/relay/outgoing-headers'
import type { RawHeader } from '../../../../shared/model/delivery'

const received: RawHeader[] = [
  ['X-First', 'v\xe9'],
  ['host', '127.0.0.1:8080'],
  ['Connection', 'keep-alive, X-Secret-Hop'],
  ['X-Secret-Hop', 'drop me'],
  ['Keep-Alive', 'timeout=5'],
  ['Transfer-Encoding', 'chunked'],
  ['Proxy-Authorization', 'Basic abc'],
  ['TE', 'trailers'],
  ['Upgrade', 'h2c'],
  ['content-type', 'application/json'],
  ['X-Dup', '1'],
  ['X-Dup', '2']
]

const base = { method: 'POST', targetHost: 'localhost:3000', preserveHost: false, bodyLength: 5 }

describe('outgoing headers', () => {
  it('keeps order, case and duplicates; drops hop-by-hop headers; points Host at the target in place', () => {
    const headers = outgoingHeaders(received, { ...base, forwarded: null })
    expect(headers).toEqual([
      ['X-First', 'v\xe9'],
      ['host', 'localhost:3000'],
      ['content-type', 'application/json'],
      ['X-Dup', '1'],
      ['X-Dup', '2'],
      // A chunked request has no Content-Length: the forwarded one does.
      ['Content-Length', '5']
    ])
  })

  it('keeps the original Host when asked, and fixes Content-Length in place', () => {
    const headers = outgoingHeaders(
      [
        ['Host', 'hooks.example'],
        ['Content-Length', '9'],
        ['X-A', 'a']
      ],
      { ...base, preserveHost: true, forwarded: null }
    )
    expect(headers).toEqual([
      ['Host', 'hooks.example'],
      ['Content-Length', '5'],
      ['X-A', 'a']
    ])
  })

  it("adds X-Forwarded-For/-Proto/-Host, extending an earlier proxy's list and keeping its proto and host", () => {
    const fresh = outgoingHeaders([['Host', 'a:1']], { ...base, forwarded: { for: '127.0.0.1', proto: 'https', host: 'a:1' } })
    expect(fresh.slice(-3)).toEqual([
      ['X-Forwarded-For', '127.0.0.1'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Host', 'a:1']
    ])
    const proxied = outgoingHeaders(
      [
        ['Host', 'a:1'],
        ['x-forwarded-for', '203.0.113.9'],
        ['X-Forwarded-Proto', 'http']
      ],
      { ...base, forwarded: { for: '127.0.0.1', proto: 'https', host: 'a:1' } }
    )
    expect(proxied).toContainEqual(['x-forwarded-for', '203.0.113.9, 127.0.0.1'])
    expect(proxied).toContainEqual(['X-Forwarded-Proto', 'http'])
    expect(proxied.filter(([name]) => name.toLowerCase() === 'x-forwarded-proto')).toHaveLength(1)
  })

  it("applies the rule's removals (any case) before its additions", () => {
    const headers = outgoingHeaders(
      [
        ['Host', 'a'],
        ['X-Api-Key', 'k'],
        ['x-keep', '1']
      ],
      {
        ...base,
        forwarded: null,
        remove: ['x-api-key'],
        add: [
          ['X-Api-Key', 'other'],
          ['X-Added', 'yes']
        ]
      }
    )
    expect(headers).toEqual([
      ['Host', 'localhost:3000'],
      ['x-keep', '1'],
      ['Content-Length', '5'],
      ['X-Api-Key', 'other'],
      ['X-Added', 'yes']
    ])
  })

  it('adds Host when the sender sent none, a single Host when it sent two, and no Content-Length to an empty GET', () => {
    expect(outgoingHeaders([['Accept', '*/*']], { ...base, method: 'GET', bodyLength: 0, forwarded: null })).toEqual([
      ['Host', 'localhost:3000'],
      ['Accept', '*/*']
    ])
    expect(
      outgoingHeaders(
        [
          ['Host', 'a'],
          ['Host', 'b']
        ],
        { ...base, bodyLength: 0, forwarded: null }
      )
    ).toEqual([
      ['Host', 'localhost:3000'],
      ['Content-Length', '0']
    ])
  })
})

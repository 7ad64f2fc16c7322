import { describe, expect, it } from 'vitest'
import { absoluteUrl } from '../../../shared/lib/request-url'
import type { RawHeader } from '../../../shared/model/delivery'

function at(overrides: { url?: string; headers?: RawHeader[]; secure?: boolean } = {}) {
  return { url: '/hooks/github?x=1&y=a%20b&x=2', headers: [['Host', '127.0.0.1:8080']] as RawHeader[], secure: false, ...overrides }
}

describe('absoluteUrl', () => {
  it('rebuilds the URL from the Host header', () => {
    expect(absoluteUrl(at())).toBe('http://127.0.0.1:8080/hooks/github?x=1&y=a%20b&x=2')
  })

  it('finds the Host header whatever its case', () => {
    expect(absoluteUrl(at({ headers: [['hOsT', 'example.test:9000']], url: '/a' }))).toBe('http://example.test:9000/a')
  })

  it('uses the first Host header when there are several', () => {
    expect(
      absoluteUrl(
        at({
          headers: [
            ['Host', 'first:1'],
            ['Host', 'second:2']
          ],
          url: '/'
        })
      )
    ).toBe('http://first:1/')
  })

  it('falls back to localhost without a Host header (HTTP/1.0)', () => {
    expect(absoluteUrl(at({ headers: [], url: '/x' }))).toBe('http://localhost/x')
  })

  it('keeps IPv6 hosts as sent', () => {
    expect(absoluteUrl(at({ headers: [['Host', '[::1]:8080']], url: '/v6' }))).toBe('http://[::1]:8080/v6')
  })

  it('keeps an absolute-form request target as it is', () => {
    expect(absoluteUrl(at({ url: 'http://proxy.example/p?q=1' }))).toBe('http://proxy.example/p?q=1')
    expect(absoluteUrl(at({ url: 'HTTPS://proxy.example/' }))).toBe('HTTPS://proxy.example/')
  })

  it('adds the slash an asterisk-form or odd target lacks', () => {
    expect(absoluteUrl(at({ url: '*' }))).toBe('http://127.0.0.1:8080/*')
  })

  it('says https for deliveries that arrived over TLS', () => {
    expect(absoluteUrl(at({ secure: true, url: '/s' }))).toBe('https://127.0.0.1:8080/s')
  })
})

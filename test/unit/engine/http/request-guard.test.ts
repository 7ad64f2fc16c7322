import { describe, expect, it } from 'vitest'
import { bearerToken, isAllowedHost, isAllowedOrigin, tokenMatches } from '../../../../electron/engine/http/request-guard'

describe('isAllowedHost', () => {
  it.each([
    ['127.0.0.1:4000', 4000],
    ['localhost:4000', 4000],
    ['LocalHost:4000', 4000],
    ['[::1]:4000', 4000],
    ['[::ffff:127.0.0.1]:4000', 4000],
    ['192.168.1.20:4000', 4000],
    ['0.0.0.0:4000', 4000],
    // Browsers leave out the default port.
    ['127.0.0.1', 80],
    ['localhost', 80],
    ['[::1]', 80]
  ])('accepts %s on port %i', (host, port) => {
    expect(isAllowedHost(host, port)).toBe(true)
  })

  it.each([
    [undefined, 4000],
    ['', 4000],
    ['evil.example:4000', 4000],
    ['localhost.evil.example:4000', 4000],
    ['localhost.:4000', 4000],
    ['127.0.0.1.nip.io:4000', 4000],
    ['127.0.0.1:4001', 4000],
    ['127.0.0.1:04000x', 4000],
    ['127.0.0.1:', 4000],
    ['127.0.0.1', 4000],
    ['localhost', 4000],
    ['::1:4000', 4000],
    ['[::1]:4001', 4000],
    ['[evil.example]:4000', 4000],
    ['127.1:4000', 4000],
    ['2130706433:4000', 4000],
    ['user@127.0.0.1:4000', 4000],
    ['127.0.0.1:4000/path', 4000],
    ['127.0.0.1:4000 ', 4000],
    ['127.0.0.1:4000,evil.example:4000', 4000],
    ['127.0.0.1:80', 4000],
    ['evil.example', 80]
  ])('refuses %j on port %i', (host, port) => {
    expect(isAllowedHost(host, port)).toBe(false)
  })
})

describe('isAllowedOrigin', () => {
  it('accepts requests without an Origin (curl, the CLI: not a browser page)', () => {
    expect(isAllowedOrigin(undefined, '127.0.0.1:4000')).toBe(true)
  })

  it('accepts exactly http://<Host>', () => {
    expect(isAllowedOrigin('http://127.0.0.1:4000', '127.0.0.1:4000')).toBe(true)
    expect(isAllowedOrigin('http://localhost:4000', 'localhost:4000')).toBe(true)
    expect(isAllowedOrigin('http://[::1]:4000', '[::1]:4000')).toBe(true)
  })

  it.each([
    ['null', '127.0.0.1:4000'],
    ['', '127.0.0.1:4000'],
    ['http://evil.example', '127.0.0.1:4000'],
    ['https://127.0.0.1:4000', '127.0.0.1:4000'],
    ['http://127.0.0.1:4000/', '127.0.0.1:4000'],
    ['http://127.0.0.1:4001', '127.0.0.1:4000'],
    ['http://localhost:4000', '127.0.0.1:4000'],
    ['http://127.0.0.1:4000.evil.example', '127.0.0.1:4000'],
    ['http://undefined', undefined],
    ['http://127.0.0.1:4000', undefined]
  ])('refuses Origin %j with Host %j', (origin, host) => {
    expect(isAllowedOrigin(origin, host)).toBe(false)
  })
})

describe('tokenMatches', () => {
  const token = 'aB3_-secretTokenValue0123456789xyz'

  it('accepts the exact token', () => {
    expect(tokenMatches(token, token)).toBe(true)
    expect(tokenMatches(token, String(token))).toBe(true)
  })

  it.each([undefined, null, '', ' ', token.slice(0, -1), token + 'x', token.toUpperCase(), ` ${token}`, `${token}\n`, 'x'.repeat(10_000)])(
    'refuses %j',
    (presented) => {
      expect(tokenMatches(token, presented)).toBe(false)
    }
  )
})

describe('bearerToken', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['Bearer a.b-c_d~e+f/g=', 'a.b-c_d~e+f/g=']
  ])('reads %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected)
  })

  it.each([undefined, '', 'Bearer', 'Bearer ', 'abc', 'Basic abc', 'Bearerabc', 'Bearer abc def', ' Bearer abc', 'Token abc'])(
    'finds no token in %j',
    (header) => {
      expect(bearerToken(header)).toBeUndefined()
    }
  )
})

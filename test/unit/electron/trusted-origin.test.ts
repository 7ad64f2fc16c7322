import { describe, expect, it } from 'vitest'
import { devServerUrlFrom } from '../../../electron/main/dev-server'
import { isOpenableExternally } from '../../../electron/main/external-url'
import { APP_ENTRY_URL, APP_ORIGIN, createTrustedUrlCheck, trustedOrigins } from '../../../electron/main/trusted-origin'

describe('createTrustedUrlCheck (production)', () => {
  const isTrusted = createTrustedUrlCheck(trustedOrigins(undefined))

  it.each([APP_ENTRY_URL, `${APP_ORIGIN}/`, `${APP_ORIGIN}/deep/path?q=1#x`, 'APP://HOOKSCOPE/index.html'])('trusts %s', (url) => {
    expect(isTrusted(url)).toBe(true)
  })

  it.each([
    undefined,
    '',
    'about:blank',
    'app://hookscope.evil.example/index.html',
    'app://evil/index.html',
    'app://hookscope:8080/index.html',
    'app://user@hookscope/index.html',
    'app://hookscope@evil/index.html',
    'https://hookscope/index.html',
    'file:///work/main/out/renderer/index.html',
    'http://localhost:5173/',
    'devtools://devtools/bundled/inspector.html',
    'javascript:alert(1)',
    'not a url'
  ])('does not trust %s', (url) => {
    expect(isTrusted(url)).toBe(false)
  })
})

describe('createTrustedUrlCheck (dev server)', () => {
  const isTrusted = createTrustedUrlCheck(trustedOrigins('http://localhost:5173/'))

  it('trusts the dev server origin and still the app origin', () => {
    expect(isTrusted('http://localhost:5173/index.html')).toBe(true)
    expect(isTrusted(APP_ENTRY_URL)).toBe(true)
  })

  it('does not trust another port, scheme or host', () => {
    expect(isTrusted('http://localhost:5174/')).toBe(false)
    expect(isTrusted('https://localhost:5173/')).toBe(false)
    expect(isTrusted('http://127.0.0.1:5173/')).toBe(false)
    expect(isTrusted('http://localhost:5173.evil.example/')).toBe(false)
  })

  it('rejects a malformed allowed origin at construction', () => {
    expect(() => createTrustedUrlCheck(['not an origin'])).toThrow(TypeError)
  })
})

describe('devServerUrlFrom', () => {
  it('accepts a loopback http(s) URL in an unpackaged app', () => {
    expect(devServerUrlFrom('http://localhost:5173', false)).toBe('http://localhost:5173/')
    expect(devServerUrlFrom('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173/')
    expect(devServerUrlFrom('https://[::1]:5173/', false)).toBe('https://[::1]:5173/')
  })

  it('is ignored in a packaged app', () => {
    expect(devServerUrlFrom('http://localhost:5173', true)).toBeUndefined()
  })

  it.each([undefined, '', 'http://example.com:5173/', 'http://localhost.evil.example/', 'file:///tmp/x.html', 'http://u:p@localhost:5173/', 'junk'])(
    'refuses %s',
    (value) => {
      expect(devServerUrlFrom(value, false)).toBeUndefined()
    }
  )
})

describe('isOpenableExternally', () => {
  it.each(['https://hookscope.dev/docs', 'http://example.com/path?q=1'])('opens %s', (url) => {
    expect(isOpenableExternally(url)).toBe(true)
  })

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'ms-msdt:/id PCWDiagnostic',
    'app://hookscope/index.html',
    'mailto:a@example.com',
    'https://user:pass@example.com/',
    'https://',
    'not a url',
    ''
  ])('refuses %s', (url) => {
    expect(isOpenableExternally(url)).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { isLoopbackTarget, targetUrlFor } from '../../../../electron/engine/relay/target-url'

describe('target URL', () => {
  it('appends path and query to a target that is only an origin', () => {
    expect(targetUrlFor('http://127.0.0.1:3000', '/stripe/events?x=1&y=%20').href).toBe('http://127.0.0.1:3000/stripe/events?x=1&y=%20')
    expect(targetUrlFor('http://127.0.0.1:3000/', '/').href).toBe('http://127.0.0.1:3000/')
  })

  it('sends everything to a target with a path, exactly', () => {
    expect(targetUrlFor('http://localhost:3000/webhook', '/anything?q=1').href).toBe('http://localhost:3000/webhook')
    expect(targetUrlFor('https://app.test/hook?token=t', '/x').href).toBe('https://app.test/hook?token=t')
  })

  it('rewrites the path prefix first: strip or replace', () => {
    expect(targetUrlFor('http://127.0.0.1:3000', '/hooks/stripe?a=1', { prefix: '/hooks', replacement: '' }).href).toBe('http://127.0.0.1:3000/stripe?a=1')
    expect(targetUrlFor('http://127.0.0.1:3000', '/hooks/stripe', { prefix: '/hooks/', replacement: '/api/webhooks/' }).href).toBe(
      'http://127.0.0.1:3000/api/webhooks/stripe'
    )
    expect(targetUrlFor('http://127.0.0.1:3000', '/other', { prefix: '/hooks', replacement: '' }).href).toBe('http://127.0.0.1:3000/other')
  })

  it('refuses what is not an http(s) URL, and URLs with credentials', () => {
    expect(() => targetUrlFor('ftp://x/', '/')).toThrow(/http/)
    expect(() => targetUrlFor('http://user:pw@x/', '/')).toThrow(/password/)
    expect(() => targetUrlFor('not a url', '/')).toThrow(/not a URL/)
  })

  it('tells loopback targets from the rest', () => {
    for (const url of ['http://localhost:3000', 'http://127.0.0.1', 'http://127.9.9.9:1', 'http://[::1]:3000', 'http://app.localhost']) {
      expect(isLoopbackTarget(new URL(url)), url).toBe(true)
    }
    for (const url of ['http://192.168.1.2', 'https://example.com', 'http://10.0.0.1:3000']) {
      expect(isLoopbackTarget(new URL(url)), url).toBe(false)
    }
  })
})

import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, PRODUCTION_CSP, withContentSecurityPolicy } from '../../../electron/main/content-security-policy'

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/)
      return [name, values.join(' ')]
    })
  )
}

describe('content security policy', () => {
  it('is the strict policy in production', () => {
    expect(contentSecurityPolicy(undefined)).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )
  })

  it('relaxes only what Vite dev needs, for the dev server host only', () => {
    const dev = directives(contentSecurityPolicy('http://localhost:5173/'))
    expect(dev.get('script-src')).toBe("'self' 'unsafe-inline'")
    expect(dev.get('connect-src')).toBe("'self' ws://localhost:5173")
    expect(dev.get('object-src')).toBe("'none'")
    expect(dev.get('default-src')).toBe("'self'")
    expect(dev.get('frame-ancestors')).toBe("'none'")
  })

  it('replaces any CSP a response already has, whatever the header case', () => {
    const headers = withContentSecurityPolicy(
      {
        'content-security-policy': ['default-src *'],
        'Content-Security-Policy-Report-Only': ['default-src *'],
        'Content-Type': ['text/html']
      },
      PRODUCTION_CSP
    )
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [PRODUCTION_CSP] })
  })

  it('adds the CSP when a response has no headers', () => {
    expect(withContentSecurityPolicy(undefined, PRODUCTION_CSP)).toEqual({
      'Content-Security-Policy': [PRODUCTION_CSP]
    })
  })
})

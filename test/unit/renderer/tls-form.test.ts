import { describe, expect, it } from 'vitest'
import { draftFromTls, NEW_TLS_DRAFT, tlsFromDraft } from '../../../renderer/src/features/endpoints/tls-form'
import { commonName, formatRemote, splitList } from '../../../renderer/src/features/tls/tls-format'
import { DEFAULT_TLS } from '../../../shared/model/endpoint'

const PIN = Array.from({ length: 32 }, () => 'ab').join(':')

describe('endpoint TLS form', () => {
  it('starts from the engine defaults: http, require, the local CA', () => {
    expect(NEW_TLS_DRAFT).toEqual({ mode: 'http', clientCert: 'require', trustedIssuerIds: ['local-ca'], pinnedFingerprints: '', extraHosts: '' })
  })

  it('round-trips an endpoint config, lists one per line', () => {
    const tls = { ...DEFAULT_TLS, mode: 'https+mtls' as const, pinnedFingerprints: [PIN], extraHosts: ['hooks.test', '10.0.0.5'] }
    const draft = draftFromTls(tls)
    expect(draft.extraHosts).toBe('hooks.test\n10.0.0.5')
    expect(tlsFromDraft(draft)).toEqual({ ok: true, tls })
  })

  it('sends only what the mode uses: http keeps the mTLS settings for later', () => {
    const draft = { ...NEW_TLS_DRAFT, pinnedFingerprints: 'junk', extraHosts: 'bad host!' }
    expect(tlsFromDraft(draft)).toEqual({ ok: true, tls: { mode: 'http' } })
    expect(tlsFromDraft({ ...draft, mode: 'https', extraHosts: 'a.test, b.test\n a.test' })).toEqual({
      ok: true,
      tls: { mode: 'https', extraHosts: ['a.test', 'b.test'] }
    })
  })

  it('catches malformed pins and hosts at their field, with the offending entry', () => {
    const result = tlsFromDraft({ ...NEW_TLS_DRAFT, mode: 'https+mtls', pinnedFingerprints: `${PIN}\nnot-a-pin`, extraHosts: 'ok.test\nbad host!' })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.pinnedFingerprints).toBe('"not-a-pin" is not a SHA-256 fingerprint (64 hex digits, colons optional)')
    expect(result.errors.extraHosts).toBe('"host!" is not a host name or IP address')
    // Colons are optional, as the engine accepts.
    expect(tlsFromDraft({ ...NEW_TLS_DRAFT, mode: 'https+mtls', pinnedFingerprints: PIN.replaceAll(':', '').toUpperCase() }).ok).toBe(true)
  })

  it('allows no trusted issuer (everything refused) but not more than the contract takes', () => {
    expect(tlsFromDraft({ ...NEW_TLS_DRAFT, mode: 'https+mtls', trustedIssuerIds: [] })).toMatchObject({ ok: true, tls: { trustedIssuerIds: [] } })
    const many = Array.from({ length: 51 }, (_, i) => `iss${i}`)
    expect(tlsFromDraft({ ...NEW_TLS_DRAFT, mode: 'https+mtls', trustedIssuerIds: many })).toMatchObject({
      ok: false,
      errors: { trustedIssuerIds: 'at most 50 trusted issuers' }
    })
  })
})

describe('TLS text helpers', () => {
  it('splits lists on lines, commas and spaces, without empties or duplicates', () => {
    expect(splitList(' a\n\nb, c  a\r\n')).toEqual(['a', 'b', 'c'])
    expect(splitList('')).toEqual([])
  })

  it('formats remote addresses, IPv6 in brackets, and says when there is none', () => {
    expect(formatRemote('127.0.0.1', 5000)).toBe('127.0.0.1:5000')
    expect(formatRemote('::1', 5000)).toBe('[::1]:5000')
    expect(formatRemote('', 0)).toBe('unknown address')
  })

  it('finds the CN of a subject', () => {
    expect(commonName('CN=acme-sender, O=Hookscope client')).toBe('acme-sender')
    expect(commonName('O=Acme, CN=x')).toBe('x')
    expect(commonName('O=Acme')).toBe('O=Acme')
  })
})

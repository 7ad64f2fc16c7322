import { describe, expect, it } from 'vitest'
import {
  compressIPv6,
  distinguishedName,
  formatFingerprint,
  isSha256Fingerprint,
  normalizeFingerprint,
  splitPemCertificates,
  subjectAltNames
} from '../../../../electron/engine/tls/cert-facts'

describe('certificate facts helpers', () => {
  it('writes names most specific first, keeping escapes', () => {
    expect(distinguishedName('C=US\nO=Acme\\, Inc.\nCN=sender')).toBe('CN=sender, O=Acme\\, Inc., C=US')
    expect(distinguishedName('')).toBe('')
    expect(distinguishedName(undefined)).toBe('')
  })

  it('splits SANs on type prefixes only and shortens IPv6', () => {
    expect(subjectAltNames('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, email:a@b.c, URI:https://x.test/a, b')).toEqual([
      'DNS:localhost',
      'IP:127.0.0.1',
      'IP:::1',
      'email:a@b.c',
      'URI:https://x.test/a, b'
    ])
    expect(subjectAltNames(undefined)).toEqual([])
    expect(compressIPv6('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1')
  })

  it('normalises fingerprints however they are pasted', () => {
    const hex = 'ab'.repeat(32)
    expect(normalizeFingerprint(`${hex.slice(0, 8)} : ${hex.slice(8)}`)).toBe(hex.toUpperCase())
    expect(formatFingerprint(hex)).toBe(Array(32).fill('AB').join(':'))
    expect(isSha256Fingerprint(formatFingerprint(hex).toLowerCase())).toBe(true)
    expect(isSha256Fingerprint('AB:CD')).toBe(false)
    expect(isSha256Fingerprint('zz'.repeat(32))).toBe(false)
  })

  it('finds every certificate block and nothing else', () => {
    const block = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`
    const text = `junk\n${block('AAAA')}\n-----BEGIN PRIVATE KEY-----\nKKKK\n-----END PRIVATE KEY-----\n${block('BBBB')}`
    expect(splitPemCertificates(text)).toEqual([block('AAAA') + '\n', block('BBBB') + '\n'])
    expect(splitPemCertificates('nothing')).toEqual([])
  })
})

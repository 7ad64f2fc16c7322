import { describe, expect, it } from 'vitest'
import { BUNDLE_PREFIX, openBundle, sealBundle } from '../../../../electron/engine/keyring/keyring-bundle'

const PLAIN = Buffer.from('{"keys":[{"scheme":"stripe","secret":"whsec_bundle-unit-5e6f"}]}')

function parts(bundle: string) {
  const [prefix, header, body] = bundle.split('.') as [string, string, string]
  return { prefix, header, body, params: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown> }
}

describe('keyring bundle format', () => {
  it('is prefix.header.body with scrypt N=2^15 r=8 p=1, a 16-byte salt and a 12-byte iv, and opens again', () => {
    const bundle = sealBundle(PLAIN, 'passphrase one')
    const { prefix, body, params } = parts(bundle)
    expect(prefix).toBe(BUNDLE_PREFIX)
    expect(params).toMatchObject({ kdf: 'scrypt', N: 32768, r: 8, p: 1 })
    expect(Object.keys(params).sort()).toEqual(['N', 'iv', 'kdf', 'p', 'r', 'salt'])
    expect(Buffer.from(params.salt as string, 'base64url')).toHaveLength(16)
    expect(Buffer.from(params.iv as string, 'base64url')).toHaveLength(12)
    expect(Buffer.from(body, 'base64url')).toHaveLength(PLAIN.length + 16)
    expect(openBundle(bundle, 'passphrase one').equals(PLAIN)).toBe(true)
    expect(bundle).not.toContain('whsec_')
  })

  it('uses a fresh salt and iv every time', () => {
    const a = parts(sealBundle(PLAIN, 'passphrase one'))
    const b = parts(sealBundle(PLAIN, 'passphrase one'))
    expect(a.params.salt).not.toBe(b.params.salt)
    expect(a.body).not.toBe(b.body)
  })

  it('treats the passphrase in NFC (the same text typed on another OS still opens it)', () => {
    const bundle = sealBundle(PLAIN, 'caf\u00e9 au lait')
    expect(openBundle(bundle, 'cafe\u0301 au lait').equals(PLAIN)).toBe(true)
  })

  it('refuses hostile scrypt costs in a crafted header quickly, before deriving anything', () => {
    const { prefix, params, body } = parts(sealBundle(PLAIN, 'passphrase one'))
    for (const cost of [{ N: 2 ** 30 }, { N: 2 ** 20, r: 8 }, { p: 1000 }, { N: 1000 }, { N: 2 ** 10 }, { kdf: 'pbkdf2' }]) {
      const header = Buffer.from(JSON.stringify({ ...params, ...cost })).toString('base64url')
      const started = Date.now()
      expect(() => openBundle(`${prefix}.${header}.${body}`, 'passphrase one')).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE' }))
      // A derivation at these costs would take seconds (or fail to allocate); refusing takes none.
      expect(Date.now() - started).toBeLessThan(200)
    }
  })

  it('tells a non-bundle (BAD_INPUT) from a damaged one (BAD_PASSPHRASE)', () => {
    const bundle = sealBundle(PLAIN, 'passphrase one')
    const { prefix, header, body } = parts(bundle)
    expect(() => openBundle('hello', 'x')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => openBundle(`hookscope-keyring-v2.${header}.${body}`, 'x')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => openBundle(`${prefix}.${header}.${body}$`, 'passphrase one')).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE' }))
    expect(() => openBundle(`${prefix}.e30.${body}`, 'passphrase one')).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE' }))
    expect(() => openBundle(`${prefix}.${header}.AAAA`, 'passphrase one')).toThrow(expect.objectContaining({ code: 'BAD_PASSPHRASE' }))
  })
})

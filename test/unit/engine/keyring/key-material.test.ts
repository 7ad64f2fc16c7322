import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { materialFields, normalizeMaterial, openMaterial, sealMaterial } from '../../../../electron/engine/keyring/key-material'

const dataKey = randomBytes(32)

describe('key material boxes', () => {
  it('open only under the same data key and the same row id (the AAD)', () => {
    const material = { secret: 'whsec_material-unit', jwks: { keys: [{ kty: 'oct', k: 'abc' }] } }
    const box = sealMaterial(dataKey, 'key_aaaaaaaaaaaa', material)
    expect(openMaterial(dataKey, 'key_aaaaaaaaaaaa', box)).toEqual(material)
    expect(() => openMaterial(dataKey, 'key_bbbbbbbbbbbb', box)).toThrow()
    expect(() => openMaterial(randomBytes(32), 'key_aaaaaaaaaaaa', box)).toThrow()
    const flipped = Buffer.from(box)
    flipped[15]! ^= 1
    expect(() => openMaterial(dataKey, 'key_aaaaaaaaaaaa', flipped)).toThrow()
    expect(() => openMaterial(dataKey, 'key_aaaaaaaaaaaa', box.subarray(0, 20))).toThrow()
  })

  it('uses a fresh IV per box', () => {
    const a = sealMaterial(dataKey, 'key_x', { secret: 's' })
    const b = sealMaterial(dataKey, 'key_x', { secret: 's' })
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false)
  })

  it('keeps only known, set fields, in canonical order', () => {
    const input = { jwks: { keys: [{}] }, secret: 's', publicKey: undefined, bogus: 'x' } as never
    expect(normalizeMaterial(input)).toEqual({ secret: 's', jwks: { keys: [{}] } })
    expect(materialFields(normalizeMaterial(input))).toEqual(['secret', 'jwks'])
  })
})

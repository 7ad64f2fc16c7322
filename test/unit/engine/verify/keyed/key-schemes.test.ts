import { describe, expect, it } from 'vitest'
import { allSchemes, checkKeyForScheme } from '../../../../../electron/engine/verify/registry'
import { keySchemes } from '../../../../../electron/engine/verify/schemes/key-schemes'
import { makeRequest } from '../../../../helpers/verify-fixtures'

const IDS = ['standard-webhooks-v1a', 'discord', 'sendgrid', 'wechatpay', 'truelayer', 'feishu', 'aes-256-gcm', 'jws', 'jwe', 'bearer', 'basic', 'api-key']

describe('key schemes list', () => {
  it('registers every keyed scheme once', () => {
    expect(keySchemes.map((scheme) => scheme.id)).toEqual(IDS)
    const ids = allSchemes.map((scheme) => scheme.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of IDS) expect(ids).toContain(id)
  })

  it('every checkKey names the problem without echoing the material', () => {
    const material = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A='
    for (const id of IDS) {
      const empty = checkKeyForScheme(id, { material: {}, options: {}, keyId: null })
      expect(empty, id).toBeTypeOf('string')
      for (const field of ['secret', 'publicKey', 'privateKey', 'certificate'] as const) {
        const problem = checkKeyForScheme(id, { material: { [field]: `${material}!` }, options: {}, keyId: 'whk_20251021_01' })
        if (problem !== null) expect(problem, `${id}/${field}`).not.toContain(material.slice(0, 12))
      }
    }
  })

  it('does not claim deliveries that belong to provider headers', () => {
    const stripeLike = makeRequest({ 'Stripe-Signature': 't=1,v1=abc', Authorization: 'Bearer x', 'X-API-Key': 'k' }, '{}')
    const byScore = allSchemes.map((scheme) => ({ id: scheme.id, score: scheme.detect(stripeLike) })).sort((a, b) => b.score - a.score)
    expect(byScore[0]!.id).toBe('stripe')
  })
})

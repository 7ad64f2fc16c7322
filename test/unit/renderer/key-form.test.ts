import { describe, expect, it } from 'vitest'
import {
  buildCreateParams,
  EMPTY_KEY_FORM,
  type KeyFormValues,
  materialFieldsFor,
  parseJsonObject,
  splitPathPrefixes
} from '../../../renderer/src/features/keyring/key-form'

const form = (patch: Partial<KeyFormValues>): KeyFormValues => ({ ...EMPTY_KEY_FORM, name: 'Orders', scheme: 'standard-webhooks', ...patch })

describe('add-key form model', () => {
  it('builds keys.create params with only what was filled in', () => {
    const built = buildCreateParams(form({ material: { secret: ' whsec_abc ' } }), ['secret'])
    // A secret is kept exactly as typed.
    expect(built).toEqual({ ok: true, params: { name: 'Orders', scheme: 'standard-webhooks', material: { secret: ' whsec_abc ' }, status: 'ACTIVE' } })
  })

  it('passes every optional field through, trimmed and typed', () => {
    const built = buildCreateParams(
      form({
        scheme: 'jws',
        material: {
          publicKey: '\n-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----\n',
          jwks: '{"keys": [{"kty": "OKP"}]}',
          secret: 'ignored: not a jws field'
        },
        keyId: ' kid-1 ',
        status: 'INACTIVE',
        group: ' billing ',
        endpointIds: ['default'],
        pathPrefixes: '/orders\n/refunds, /v2 \n\n',
        notes: 'rotated monthly',
        options: '{"toleranceSeconds": 600}'
      }),
      ['publicKey', 'jwks', 'certificate']
    )
    expect(built).toEqual({
      ok: true,
      params: {
        name: 'Orders',
        scheme: 'jws',
        material: { publicKey: '-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----', jwks: { keys: [{ kty: 'OKP' }] } },
        status: 'INACTIVE',
        keyId: 'kid-1',
        group: 'billing',
        endpointIds: ['default'],
        pathPrefixes: ['/orders', '/refunds', '/v2'],
        notes: 'rotated monthly',
        options: { toleranceSeconds: 600 }
      }
    })
  })

  it('reports what the browser can check before asking the engine', () => {
    const built = buildCreateParams(form({ name: '  ', material: {}, pathPrefixes: 'orders', options: '{"toleranceSeconds": 600,}' }), ['secret'])
    expect(built.ok).toBe(false)
    if (built.ok) return
    expect(built.errors.name).toBe('A name is required')
    expect(built.errors.material).toBe('Enter the key material')
    expect(built.errors.pathPrefixes).toContain('"orders"')
    expect(built.errors.options).toMatch(/^Options is not valid JSON/)
  })

  it('checks the JWKS shape and the options type', () => {
    const jwks = buildCreateParams(form({ scheme: 'jws', material: { jwks: '{"keys": []}' } }), ['jwks'])
    expect(!jwks.ok && jwks.errors.jwks).toContain('at least one key')
    expect(parseJsonObject('[1]', 'Options')).toEqual({ ok: false, error: 'Options must be a JSON object, like {"toleranceSeconds": 600}' })
    expect(parseJsonObject('  ', 'Options')).toEqual({ ok: true, value: undefined })
    const noScheme = buildCreateParams(form({ scheme: '' }), [])
    expect(!noScheme.ok && noScheme.errors).toEqual({ scheme: 'Pick a scheme' })
  })

  it('lists material inputs in the scheme order and splits path prefixes', () => {
    expect(materialFieldsFor(['certificate', 'publicKey', 'secret', 'bogus'])).toEqual(['certificate', 'publicKey', 'secret'])
    expect(splitPathPrefixes(' /a ,/b\n\n/c')).toEqual(['/a', '/b', '/c'])
  })
})

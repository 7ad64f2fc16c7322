import { describe, expect, it } from 'vitest'
import { parseParams } from '../../../shared/api/validate'

describe('parseParams', () => {
  it('accepts valid params and fills nothing in', () => {
    expect(parseParams('deliveries.list', { limit: 5, q: 'x' })).toEqual({ limit: 5, q: 'x' })
    expect(parseParams('app.info', undefined)).toEqual({})
  })

  it('rejects unknown methods', () => {
    expect(() => parseParams('deliveries.drop', {})).toThrow(expect.objectContaining({ code: 'UNKNOWN_METHOD' }))
  })

  it('names the offending field', () => {
    expect(() => parseParams('deliveries.list', { limit: 0 })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('limit') })
    )
    expect(() => parseParams('deliveries.get', { id: 42 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringContaining('id') }))
  })

  it('rejects unknown keys instead of ignoring them', () => {
    expect(() => parseParams('deliveries.get', { id: 'a', extra: true })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })

  it('refuses response headers that could split a response', () => {
    const withHeader = (name: string, value: string) => ({
      name: 'x',
      response: { status: 200, headers: [[name, value]], body: null }
    })
    expect(() => parseParams('endpoints.create', withHeader('X-Ok', 'a\r\nSet-Cookie: evil=1'))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => parseParams('endpoints.create', withHeader('Bad Name', 'v'))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(parseParams('endpoints.create', withHeader('X-Ok', 'tab\tand text'))).toMatchObject({ name: 'x' })
  })

  it('bounds ports and body limits', () => {
    expect(() => parseParams('endpoints.create', { name: 'x', port: 65536 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
    expect(() => parseParams('endpoints.update', { id: 'x', patch: { maxBodyBytes: 0 } })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }))
  })
})

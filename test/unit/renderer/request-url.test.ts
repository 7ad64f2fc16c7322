import { describe, expect, it } from 'vitest'
import { requestUrl } from '../../../renderer/src/lib/request-url'
import { makeDelivery, makeEndpoint } from './fake-engine-client'

describe('requestUrl', () => {
  const listening = makeEndpoint('default', 'Default', 'listening') // http://127.0.0.1:8080/

  it('prefers the capture endpoint URL, then the Host header', () => {
    const delivery = makeDelivery({ endpointId: 'default', url: '/hooks/a?x=1' })
    expect(requestUrl(delivery, [['Host', 'tunnel.example']], [listening])).toBe('http://127.0.0.1:8080/hooks/a?x=1')
    expect(requestUrl(delivery, [['host', 'tunnel.example']], [])).toBe('http://tunnel.example/hooks/a?x=1')
    expect(requestUrl(delivery, [], [])).toBe('http://localhost/hooks/a?x=1')
  })

  it('keeps an absolute-form request target as is', () => {
    const delivery = makeDelivery({ url: 'http://proxied.example/p' })
    expect(requestUrl(delivery, [], [listening])).toBe('http://proxied.example/p')
  })
})

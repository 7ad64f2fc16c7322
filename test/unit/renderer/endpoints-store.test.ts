import { beforeEach, describe, expect, it } from 'vitest'
import { createEndpointsStore, type EndpointsStore } from '../../../renderer/src/stores/endpoints-store'
import { EngineError } from '../../../shared/errors'
import { FakeEngineClient, makeEndpoint, settle } from './fake-engine-client'

let client: FakeEngineClient
let store: EndpointsStore

beforeEach(() => {
  client = new FakeEngineClient()
  client.endpoints = [makeEndpoint('default', 'Default', 'listening')]
  store = createEndpointsStore(client)
  client.subscribe((event) => store.getState().handleEvent(event))
})

describe('endpoints store', () => {
  it('loads the list', async () => {
    await store.getState().load()
    expect(store.getState().loadStatus).toBe('ready')
    expect(store.getState().endpoints.map((e) => e.id)).toEqual(['default'])
  })

  it('follows endpoint.changed and endpoint.removed events', async () => {
    await store.getState().load()
    client.broadcast({
      type: 'endpoint.changed',
      endpoint: {
        ...makeEndpoint('default', 'Default', 'error'),
        state: { status: 'error', port: null, url: null, error: 'port 8080 is in use', code: 'LISTEN_FAILED' }
      }
    })
    client.broadcast({ type: 'endpoint.changed', endpoint: makeEndpoint('stripe', 'Stripe', 'listening') })
    expect(store.getState().endpoints.map((e) => [e.id, e.state.status])).toEqual([
      ['default', 'error'],
      ['stripe', 'listening']
    ])
    expect(store.getState().endpoints[0]!.state.error).toBe('port 8080 is in use')
    client.broadcast({ type: 'endpoint.removed', id: 'default' })
    expect(store.getState().endpoints.map((e) => e.id)).toEqual(['stripe'])
  })

  it('creates, starts, stops and deletes through the engine', async () => {
    await store.getState().load()
    expect(await store.getState().create({ name: 'GitHub', port: 9000 })).toBe(true)
    expect(client.callsOf('endpoints.create')).toEqual([{ name: 'GitHub', port: 9000 }])
    await store.getState().create({ name: 'Any' })
    expect(client.callsOf('endpoints.create')[1]).toEqual({ name: 'Any' })

    await store.getState().start('github')
    expect(store.getState().endpoints.find((e) => e.id === 'github')?.state.status).toBe('listening')
    await store.getState().stop('github')
    expect(store.getState().endpoints.find((e) => e.id === 'github')?.state.status).toBe('stopped')
    await store.getState().remove('github')
    expect(store.getState().endpoints.map((e) => e.id)).toEqual(['default', 'any'])
  })

  it('shows engine errors as a message and marks the endpoint busy only while acting', async () => {
    await store.getState().load()
    client.failNext['endpoints.start'] = new EngineError('LISTEN_FAILED', 'port 8080 is already in use')
    client.paused = true
    const starting = store.getState().start('default')
    expect(store.getState().busyIds).toEqual({ default: true })
    client.release()
    await starting
    expect(store.getState().busyIds).toEqual({})
    expect(store.getState().actionError).toBe('port 8080 is already in use')

    client.failNext['endpoints.create'] = new EngineError('BAD_INPUT', 'endpoints.create: name: Too small')
    expect(await store.getState().create({ name: 'x' })).toBe(false)
    expect(store.getState()).toMatchObject({ actionError: 'endpoints.create: name: Too small', creating: false })
    store.getState().dismissActionError()
    expect(store.getState().actionError).toBeNull()
  })

  it('reloads on stream.reset', async () => {
    await store.getState().load()
    client.endpoints.push(makeEndpoint('late', 'Late', 'stopped'))
    client.broadcast({ type: 'stream.reset' })
    await settle()
    expect(store.getState().endpoints.map((e) => e.id)).toEqual(['default', 'late'])
  })
})

describe('endpoints store: TLS settings', () => {
  it('creates an endpoint with TLS settings, and leaves them out for plain http', async () => {
    await store.getState().load()
    await store.getState().create({ name: 'Secure', tls: { mode: 'https+mtls', clientCert: 'require' } })
    expect(client.callsOf('endpoints.create')).toEqual([{ name: 'Secure', tls: { mode: 'https+mtls', clientCert: 'require' } }])
    expect(store.getState().endpoints.find((e) => e.id === 'secure')?.tls.mode).toBe('https+mtls')
  })

  it('updates settings and answers the form that asked, error included', async () => {
    await store.getState().load()
    client.paused = true
    const saving = store.getState().update('default', { tls: { mode: 'https', extraHosts: ['hooks.test'] } })
    expect(store.getState().busyIds).toEqual({ default: true })
    client.release()
    const outcome = await saving
    expect(outcome.ok && outcome.value.tls).toMatchObject({ mode: 'https', extraHosts: ['hooks.test'], clientCert: 'require' })
    expect(store.getState().endpoints[0]!.tls.mode).toBe('https')
    expect(store.getState().busyIds).toEqual({})

    client.failNext['endpoints.update'] = new EngineError('NOT_FOUND', 'trusted issuer iss_9 is not in the certificate store')
    expect(await store.getState().update('default', { tls: { trustedIssuerIds: ['iss_9'] } })).toEqual({
      ok: false,
      error: 'trusted issuer iss_9 is not in the certificate store'
    })
    // A form error, not the panel's banner.
    expect(store.getState().actionError).toBeNull()
  })
})

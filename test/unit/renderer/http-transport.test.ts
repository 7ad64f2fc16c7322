import { describe, expect, it } from 'vitest'
import { readTokenFromHash } from '../../../renderer/src/api/engine-client'
import type { SocketHandlers } from '../../../renderer/src/api/event-stream'
import { createHttpTransport } from '../../../renderer/src/api/http-transport'
import { createIpcTransport } from '../../../renderer/src/api/ipc-transport'
import { EngineError } from '../../../shared/errors'

interface Recorded {
  url: string
  init: RequestInit | undefined
}

function fakeFetch(answer: () => Promise<Response>) {
  const requests: Recorded[] = []
  const doFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), init })
    return answer()
  }) as typeof fetch
  return { requests, doFetch }
}

const json = (status: number, body: unknown) => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError)
    return error as EngineError
  }
  throw new Error('expected a rejection')
}

describe('http transport', () => {
  it('POSTs JSON params with the bearer token and returns the value', async () => {
    const { requests, doFetch } = fakeFetch(() => json(200, { ok: true, value: { deleted: true } }))
    const { client } = createHttpTransport({ origin: 'http://127.0.0.1:4000/', token: 'tok en', fetch: doFetch, openSocket: () => ({ close() {} }) })
    await expect(client.invoke('deliveries.delete', { id: 'abc' })).resolves.toEqual({ deleted: true })
    expect(requests).toHaveLength(1)
    expect(requests[0]!.url).toBe('http://127.0.0.1:4000/api/invoke/deliveries.delete')
    expect(requests[0]!.init?.method).toBe('POST')
    expect(requests[0]!.init?.headers).toMatchObject({ Authorization: 'Bearer tok en', 'Content-Type': 'application/json' })
    expect(requests[0]!.init?.body).toBe('{"id":"abc"}')
  })

  it('throws the engine error carried by ok:false, whatever the status', async () => {
    const { doFetch } = fakeFetch(() => json(404, { ok: false, error: { code: 'NOT_FOUND', message: 'no delivery x' } }))
    const { client } = createHttpTransport({ origin: 'http://h', token: 't', fetch: doFetch })
    const error = await rejection(client.invoke('deliveries.get', { id: 'x' }))
    expect([error.code, error.message]).toEqual(['NOT_FOUND', 'no delivery x'])
  })

  it('maps network failures, non-JSON and malformed answers to TRANSPORT', async () => {
    const cases: Array<() => Promise<Response>> = [
      () => Promise.reject(new TypeError('Failed to fetch')),
      () => Promise.resolve(new Response('<html>502 Bad Gateway</html>', { status: 502 })),
      () => json(200, { value: 1 }),
      () => json(500, { ok: false, error: { code: 7 } })
    ]
    for (const answer of cases) {
      const { doFetch } = fakeFetch(answer)
      const { client } = createHttpTransport({ origin: 'http://h', token: 't', fetch: doFetch })
      expect((await rejection(client.invoke('app.info', {}))).code).toBe('TRANSPORT')
    }
  })

  it('opens the event socket on the same host with ws: or wss: and the token in the query', () => {
    const urls: string[] = []
    const openSocket = (url: string, _handlers: SocketHandlers) => {
      urls.push(url)
      return { close() {} }
    }
    createHttpTransport({ origin: 'http://127.0.0.1:4000', token: 'a+b/c', openSocket }).client.subscribe(() => {})
    createHttpTransport({ origin: 'https://example.test', token: 't', openSocket }).client.subscribe(() => {})
    expect(urls).toEqual(['ws://127.0.0.1:4000/api/events?token=a%2Bb%2Fc', 'wss://example.test/api/events?token=t'])
  })
})

describe('ipc transport', () => {
  it('unwraps results, restores engine errors and wraps bridge failures as TRANSPORT', async () => {
    const answers: unknown[] = [{ ok: true, value: [] }, { ok: false, error: { code: 'LISTEN_FAILED', message: 'in use' } }, 'garbage']
    const bridge = {
      invoke: async () => {
        if (answers.length === 0) throw new Error('ipc gone')
        return answers.shift() as never
      },
      subscribe: () => () => {}
    }
    const { client, connection } = createIpcTransport(bridge)
    expect(connection.getStatus()).toBe('connected')
    await expect(client.invoke('endpoints.list', {})).resolves.toEqual([])
    expect((await rejection(client.invoke('endpoints.start', { id: 'a' }))).code).toBe('LISTEN_FAILED')
    expect((await rejection(client.invoke('endpoints.list', {}))).code).toBe('TRANSPORT')
    expect((await rejection(client.invoke('endpoints.list', {}))).code).toBe('TRANSPORT')
  })
})

describe('readTokenFromHash', () => {
  it('reads the token parameter from the fragment', () => {
    expect(readTokenFromHash('#token=abc-_123')).toBe('abc-_123')
    expect(readTokenFromHash('#other=1&token=x%2By')).toBe('x+y')
    expect(readTokenFromHash('')).toBeNull()
    expect(readTokenFromHash('#token=')).toBeNull()
  })
})

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ALWAYS_CONNECTED } from '../../../renderer/src/api/connection'
import { readRunFromHash } from '../../../renderer/src/api/engine-client'
import type { SocketHandlers } from '../../../renderer/src/api/event-stream'
import { createHttpTransport } from '../../../renderer/src/api/http-transport'
import { startServices } from '../../../renderer/src/app/services'
import type { EngineEvent } from '../../../shared/api/contract'
import { FakeEngineClient, settle } from './fake-engine-client'

const refused = (run: string) =>
  Promise.resolve(
    new Response(JSON.stringify({ ok: false, error: { code: 'UNAUTHORIZED', message: 'missing or wrong token' } }), {
      status: 401,
      headers: { 'content-type': 'application/json', 'x-hookscope-run': run }
    })
  )
const accepted = (run: string) =>
  Promise.resolve(
    new Response(JSON.stringify({ ok: true, value: {} }), { status: 200, headers: { 'content-type': 'application/json', 'x-hookscope-run': run } })
  )

class Sockets {
  opened: SocketHandlers[] = []
  open = (_url: string, handlers: SocketHandlers) => {
    this.opened.push(handlers)
    return { close() {} }
  }
}

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('a refused token', () => {
  it('is final: the stream stops retrying and says "wrong token" when the run is ours', async () => {
    const sockets = new Sockets()
    let answer = () => refused('r1')
    const fetchCalls: string[] = []
    const transport = createHttpTransport({
      origin: 'http://h',
      token: 'bad',
      runId: 'r1',
      openSocket: sockets.open,
      fetch: (async (url: string) => {
        fetchCalls.push(url)
        return answer()
      }) as typeof fetch
    })
    transport.client.subscribe(() => {})
    expect(sockets.opened).toHaveLength(1)
    // The WebSocket was refused: the browser only says "closed". The probe asks over HTTP.
    sockets.opened[0]!.onClose()
    await settle()
    expect(fetchCalls).toEqual(['http://h/api/invoke/app.info'])
    expect(transport.connection.getStatus()).toBe('wrong-token')
    vi.advanceTimersByTime(60_000)
    expect(sockets.opened).toHaveLength(1)
    answer = () => accepted('r1')
    await expect(transport.client.invoke('endpoints.list', {})).resolves.toEqual({})
    expect(transport.connection.getStatus()).toBe('wrong-token')
  })

  it('says "earlier run" when a later run of the server answers', async () => {
    const sockets = new Sockets()
    const transport = createHttpTransport({
      origin: 'http://h',
      token: 'old',
      runId: 'r1',
      openSocket: sockets.open,
      fetch: (() => refused('r2')) as typeof fetch
    })
    await expect(transport.client.invoke('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(transport.connection.getStatus()).toBe('earlier-run')
  })

  it('learns its run from the first accepted answer when the address had none', async () => {
    let answer = () => accepted('r1')
    const transport = createHttpTransport({ origin: 'http://h', token: 't', openSocket: new Sockets().open, fetch: (() => answer()) as typeof fetch })
    await transport.client.invoke('app.info', {})
    answer = () => refused('r2')
    await expect(transport.client.invoke('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    expect(transport.connection.getStatus()).toBe('earlier-run')
  })

  it('keeps reconnecting when the engine is only unreachable', async () => {
    const sockets = new Sockets()
    const transport = createHttpTransport({
      origin: 'http://h',
      token: 't',
      openSocket: sockets.open,
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch
    })
    transport.client.subscribe(() => {})
    sockets.opened[0]!.onClose()
    await settle()
    expect(transport.connection.getStatus()).toBe('reconnecting')
    vi.advanceTimersByTime(250)
    expect(sockets.opened).toHaveLength(2)
  })

  it('reads the run from the address', () => {
    expect(readRunFromHash('#token=t&run=01abc')).toBe('01abc')
    expect(readRunFromHash('#token=t')).toBeNull()
  })
})

describe('startup loads', () => {
  const startupCalls = (client: FakeEngineClient) => client.calls.map((call) => call.method).sort()

  it('over the WebSocket: once, when the stream is live, not before', async () => {
    const client = new FakeEngineClient()
    startServices({ client, connection: ALWAYS_CONNECTED, exporter: { cancellable: false, export: async () => ({ kind: 'cancelled' }) }, resetsWhenLive: true })
    await settle()
    expect(client.calls).toEqual([])
    client.broadcast({ type: 'stream.reset' } satisfies EngineEvent)
    await settle()
    const first = startupCalls(client)
    expect(first).toEqual([...new Set(first)])
    expect(first).toContain('deliveries.list')
    expect(first).toContain('endpoints.list')
  })

  it('over IPC: once, right away', async () => {
    const client = new FakeEngineClient()
    startServices({
      client,
      connection: ALWAYS_CONNECTED,
      exporter: { cancellable: false, export: async () => ({ kind: 'cancelled' }) },
      resetsWhenLive: false
    })
    await settle()
    const calls = startupCalls(client)
    expect(calls).toEqual([...new Set(calls)])
    expect(calls).toContain('deliveries.list')
  })
})

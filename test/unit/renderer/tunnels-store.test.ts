import { describe, expect, it } from 'vitest'
import { ago, healthLine } from '../../../renderer/src/features/tunnel/tunnel-format'
import { createTunnelsStore } from '../../../renderer/src/features/tunnel/tunnels-store'
import type { EngineClient, EngineEvent } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import type { TunnelHealth, TunnelView } from '../../../shared/model/tunnel'

const health: TunnelHealth = {
  endpointId: 'default',
  provider: 'hookscope',
  url: 'https://relay.example/c/0123456789abcdefghjkmnpq',
  status: 'connected',
  publicUrl: 'https://relay.example/c/0123456789abcdefghjkmnpq',
  rttMs: 1.25,
  lastEventAt: 10_000,
  connectedAt: 5_000,
  nextRetryAt: null,
  failures: 0,
  error: null,
  queue: { atConnect: 3, delivered: 1, drainedAt: null },
  delivered: 7
}
const view: TunnelView = {
  config: { endpointId: 'default', url: health.url, provider: 'hookscope', enabled: true, hasToken: true, tokenStored: true },
  health
}

/** Only what the tunnels store calls. */
function fakeClient(): EngineClient & { calls: [string, unknown][]; emit(event: EngineEvent): void } {
  const listeners = new Set<(event: EngineEvent) => void>()
  const calls: [string, unknown][] = []
  return {
    calls,
    emit: (event) => {
      for (const listener of listeners) listener(event)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async invoke(method: string, params: unknown) {
      calls.push([method, params])
      if (method === 'tunnels.list') return [view]
      if (method === 'tunnels.set') {
        if ((params as { url?: string }).url === 'bad') throw new EngineError('BAD_INPUT', 'not a tunnel URL')
        return { ...view, config: { ...view.config, enabled: (params as { enabled?: boolean }).enabled ?? true } }
      }
      if (method === 'tunnels.remove') return { removed: true }
      throw new Error(`unexpected ${method}`)
    }
  } as EngineClient & { calls: [string, unknown][]; emit(event: EngineEvent): void }
}

describe('tunnels store', () => {
  it('loads, follows events, and reports the engine’s sentence on a refused change', async () => {
    const client = fakeClient()
    const store = createTunnelsStore(client)
    client.subscribe((event) => store.getState().handleEvent(event))
    await store.getState().load()
    expect(Object.keys(store.getState().tunnels)).toEqual(['default'])

    client.emit({ type: 'tunnel.changed', tunnel: { ...view, health: { ...health, status: 'reconnecting' } } })
    expect(store.getState().tunnels.default!.health.status).toBe('reconnecting')
    expect(await store.getState().set('default', { url: 'bad' })).toEqual({ ok: false, error: 'not a tunnel URL' })
    const saved = await store.getState().set('default', { enabled: false })
    expect(saved.ok && saved.value.config.enabled).toBe(false)
    expect(client.calls.at(-1)).toEqual(['tunnels.set', { endpointId: 'default', enabled: false }])
    client.emit({ type: 'tunnel.removed', endpointId: 'default' })
    expect(store.getState().tunnels).toEqual({})
  })
})

describe('tunnel health line', () => {
  it('says what is happening and what comes next', () => {
    expect(healthLine(health, 13_000)).toBe('Last event 3 s ago, RTT 1.3 ms, draining queue 1/3')
    expect(healthLine({ ...health, queue: { atConnect: 3, delivered: 3, drainedAt: 12_000 } }, 13_000)).toBe(
      'Last event 3 s ago, RTT 1.3 ms, queue of 3 drained'
    )
    expect(
      healthLine(
        { ...health, status: 'reconnecting', error: { code: 'TUNNEL_CLOSED', message: 'the relay is restarting or stopping' }, nextRetryAt: 14_500 },
        13_000
      )
    ).toBe('the relay is restarting or stopping Retrying in 2 s.')
    expect(ago(null, 0)).toBe('never')
    expect(ago(0, 125_000)).toBe('2 min ago')
  })
})

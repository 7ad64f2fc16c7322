import { describe, expect, it } from 'vitest'
import { createStoreHealthStore } from '../../../renderer/src/stores/store-health-store'
import type { EngineClient, EngineEvent } from '../../../shared/api/contract'
import type { StoreHealthStatus } from '../../../shared/model/store-health'

const ok: StoreHealthStatus = { state: 'ok', since: null, detail: 'the store is writable', failures: 0 }
const full: StoreHealthStatus = { state: 'disk-full', since: 1, detail: 'the disk is full', failures: 3 }

function client(answer: StoreHealthStatus): EngineClient & { calls: number } {
  const fake = {
    calls: 0,
    async invoke(method: string) {
      fake.calls++
      if (method !== 'store.health') throw new Error(`unexpected ${method}`)
      return answer
    },
    subscribe: () => () => {}
  }
  return fake as unknown as EngineClient & { calls: number }
}

describe('store health for the banner (issue 10 #8, #10)', () => {
  it('loads the health, follows store.health events, and reloads after a reconnect', async () => {
    const engine = client(ok)
    const store = createStoreHealthStore(engine)
    await store.getState().load()
    expect(store.getState().health).toEqual(ok)
    store.getState().handleEvent({ type: 'store.health', health: full } satisfies EngineEvent)
    expect(store.getState().health).toEqual(full)
    store.getState().handleEvent({ type: 'stream.reset' })
    await Promise.resolve()
    expect(engine.calls).toBe(2)
  })
})

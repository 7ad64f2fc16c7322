import { describe, expect, it } from 'vitest'
import { createSettingsStore } from '../../../renderer/src/stores/settings-store'
import { FakeEngineClient } from './fake-engine-client'

describe('settings store', () => {
  it('loads the durability level, changes it through the engine, and follows other windows', async () => {
    const client = new FakeEngineClient()
    const store = createSettingsStore(client)
    expect(store.getState().settings).toBeNull()
    await store.getState().load()
    expect(store.getState().settings).toEqual({ durability: 'crash' })

    const outcome = await store.getState().setDurability('fsync')
    expect(outcome).toEqual({ ok: true, value: { durability: 'fsync' } })
    expect(client.callsOf('settings.update')).toEqual([{ durability: 'fsync' }])
    expect(store.getState()).toMatchObject({ settings: { durability: 'fsync' }, saving: false })

    // Another window (or the CLI) changed it.
    store.getState().handleEvent({ type: 'settings.changed', settings: { durability: 'crash' } })
    expect(store.getState().settings).toEqual({ durability: 'crash' })
  })
})

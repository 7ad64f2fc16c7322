import { beforeEach, describe, expect, it } from 'vitest'
import { linkSelections, startEndpointsOnUnlock } from '../../../renderer/src/app/services'
import { createDeliveriesStore, type DeliveriesStore } from '../../../renderer/src/stores/deliveries-store'
import { createEndpointsStore } from '../../../renderer/src/stores/endpoints-store'
import { createKeysStore } from '../../../renderer/src/stores/keys-store'
import { createRejectedStore, type RejectedStore } from '../../../renderer/src/stores/rejected-store'
import { FakeEngineClient, makeDelivery, makeEndpoint, makeRejected, settle } from './fake-engine-client'

let client: FakeEngineClient
let deliveries: DeliveriesStore
let rejected: RejectedStore

beforeEach(() => {
  client = new FakeEngineClient()
  deliveries = createDeliveriesStore(client)
  rejected = createRejectedStore(client)
  linkSelections(deliveries, rejected)
})

describe('one selection across deliveries and refused connections', () => {
  it('choosing one kind clears the other', async () => {
    const delivery = makeDelivery()
    const connection = makeRejected()
    client.deliveries = [delivery]
    client.rejected = [connection]
    await Promise.all([deliveries.getState().reload(), rejected.getState().load()])

    deliveries.getState().select(delivery.id)
    await settle()
    rejected.getState().select(connection.id)
    expect(deliveries.getState().selectedId).toBeNull()
    expect(rejected.getState().selected?.id).toBe(connection.id)

    deliveries.getState().select(delivery.id)
    expect(rejected.getState().selected).toBeNull()
    expect(deliveries.getState().selectedId).toBe(delivery.id)

    // Clearing one does not touch the other.
    rejected.getState().select(null)
    expect(deliveries.getState().selectedId).toBe(delivery.id)
    deliveries.getState().dispose()
    rejected.getState().dispose()
  })
})

describe('HTTPS endpoints waiting for the keyring', () => {
  it('start once the keyring is unlocked; others are left alone', async () => {
    const locked = (id: string, error: string) => ({ ...makeEndpoint(id, id, 'error'), state: { status: 'error' as const, port: null, url: null, error } })
    client.endpoints = [
      locked('secure', 'TLS: the keyring is locked: unlock it first'),
      locked('fresh', 'TLS: the keyring is not set up yet: set a passphrase first'),
      locked('busy', 'listen EADDRINUSE: address already in use 127.0.0.1:8080'),
      makeEndpoint('stopped', 'Stopped', 'stopped')
    ]
    client.vault = { state: 'locked', protections: ['passphrase'] }
    const keys = createKeysStore(client)
    const endpoints = createEndpointsStore(client)
    startEndpointsOnUnlock(keys, endpoints)
    await Promise.all([keys.getState().load(), endpoints.getState().load()])
    await settle()
    expect(client.callsOf('endpoints.start')).toEqual([])

    expect((await keys.getState().unlock('correct horse')).ok).toBe(true)
    await settle()
    expect(client.callsOf('endpoints.start')).toEqual([{ id: 'secure' }, { id: 'fresh' }])
    expect(endpoints.getState().endpoints.find((e) => e.id === 'secure')?.state.status).toBe('listening')

    // Later refreshes (already unlocked) start nothing more.
    await keys.getState().load()
    await settle()
    expect(client.callsOf('endpoints.start')).toHaveLength(2)
  })
})

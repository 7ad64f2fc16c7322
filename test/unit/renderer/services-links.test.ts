import { beforeEach, describe, expect, it } from 'vitest'
import { linkSelections } from '../../../renderer/src/app/services'
import { createDeliveriesStore, type DeliveriesStore } from '../../../renderer/src/stores/deliveries-store'
import { createRejectedStore, type RejectedStore } from '../../../renderer/src/stores/rejected-store'
import { FakeEngineClient, makeDelivery, makeRejected, settle } from './fake-engine-client'

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

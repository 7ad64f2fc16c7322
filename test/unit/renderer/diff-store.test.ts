import { describe, expect, it } from 'vitest'
import { createDiffStore } from '../../../renderer/src/features/diff/diff-store'
import { EngineError } from '../../../shared/errors'
import { encodeBase64 } from '../../../shared/lib/base64'
import { encodeUtf8 } from '../../../shared/lib/utf8'
import { FakeEngineClient, makeDelivery, settle } from './fake-engine-client'

const body = (text: string) => encodeBase64(encodeUtf8(text))

describe('diff store', () => {
  it('fetches both deliveries and compares headers and bodies', async () => {
    const client = new FakeEngineClient()
    const a = makeDelivery({ headers: [['X-Signature', 'aa']], bodyBase64: body('{"amount":1}') })
    const b = makeDelivery({
      headers: [
        ['X-Signature', 'bb'],
        ['X-Extra', '1']
      ],
      bodyBase64: body('{"amount":2}')
    })
    client.deliveries = [a, b]
    const store = createDiffStore(client)
    await store.getState().compareDeliveries(a.id, b.id)
    const { status, comparison } = store.getState()
    expect(status).toBe('ready')
    expect(comparison!.headers.map((row) => row.change)).toEqual(['changed', 'added'])
    expect(comparison!.body).toMatchObject({ kind: 'json', equal: false })
    store.getState().swap()
    expect(store.getState().comparison!.headers.map((row) => row.change)).toEqual(['changed', 'removed'])
    expect([store.getState().leftId, store.getState().rightId]).toEqual([b.id, a.id])
  })

  it('asks for two deliveries, and shows the engine error when one is gone', async () => {
    const client = new FakeEngineClient()
    const a = makeDelivery()
    client.deliveries = [a]
    const store = createDiffStore(client)
    store.getState().choose('left', a.id)
    await store.getState().compare()
    expect(store.getState()).toMatchObject({ status: 'error', comparison: null })
    store.getState().choose('right', 'gone')
    client.failNext['deliveries.get'] = new EngineError('NOT_FOUND', 'no delivery with id "gone"')
    await store.getState().compare()
    expect(store.getState().status).toBe('error')
    expect(store.getState().error).toContain('gone')
  })

  it('drops a comparison that a newer one overtook', async () => {
    const client = new FakeEngineClient()
    const [a, b, c] = [makeDelivery({ bodyBase64: body('a') }), makeDelivery({ bodyBase64: body('b') }), makeDelivery({ bodyBase64: body('c') })]
    client.deliveries = [a, b, c]
    const store = createDiffStore(client)
    client.paused = true
    const first = store.getState().compareDeliveries(a.id, b.id)
    const second = store.getState().compareDeliveries(a.id, c.id)
    // The first comparison answers last: it must not replace the second.
    client.release('lifo')
    await Promise.all([first, second])
    await settle()
    expect(store.getState().comparison!.right.id).toBe(c.id)
  })

  it('"compare with…" starts from one delivery: it is the left side, the old comparison goes', async () => {
    const client = new FakeEngineClient()
    const [a, b] = [makeDelivery(), makeDelivery()]
    client.deliveries = [a, b]
    const store = createDiffStore(client)
    await store.getState().compareDeliveries(a.id, b.id)
    store.getState().startFrom(b.id)
    expect(store.getState()).toMatchObject({ leftId: b.id, rightId: null, status: 'idle', comparison: null })
  })
})

import { describe, expect, it } from 'vitest'
import { summaryOfAttempt } from '../../../renderer/src/features/relay/attempt-format'
import { createForwardingStore } from '../../../renderer/src/features/relay/forwarding-store'
import { createBulkReplayStore } from '../../../renderer/src/features/replay/bulk-replay-store'
import { createReplayStore, EMPTY_FORM, replayParams } from '../../../renderer/src/features/replay/replay-store'
import { createSigningStore, signingChoices } from '../../../renderer/src/features/replay/signing-store'
import { createSenderStore, DEFAULT_SENDER_FORM, senderParams } from '../../../renderer/src/features/sender/sender-store'
import { EngineError } from '../../../shared/errors'
import { decodeBase64, encodeBase64 } from '../../../shared/lib/base64'
import { decodeUtf8, encodeUtf8 } from '../../../shared/lib/utf8'
import { DEFAULT_FALLBACK } from '../../../shared/model/relay'
import { FakeEngineClient, makeAttempt, makeDelivery, makeKey, makeRule, settle } from './fake-engine-client'

const text = (value: string) => encodeBase64(encodeUtf8(value))

describe('replay dialog store', () => {
  it('opens on a delivery: its headers and body as text, its rule’s target when its endpoint has one', async () => {
    const client = new FakeEngineClient()
    const delivery = makeDelivery({
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Sig', 'v1,abc']
      ],
      bodyBase64: text('{"a":1}')
    })
    client.deliveries = [delivery]
    client.forwarding.default = { endpointId: 'default', rules: [makeRule()], fallback: DEFAULT_FALLBACK, warnings: [] }
    const store = createReplayStore(client, { forwarding: createForwardingStore(client) })
    await store.getState().open(delivery.id)
    expect(store.getState()).toMatchObject({
      deliveryId: delivery.id,
      bodyEditable: true,
      form: { targetKind: 'rule', headersText: 'Content-Type: application/json\nX-Sig: v1,abc', bodyText: '{"a":1}' }
    })

    await store.getState().send()
    expect(client.callsOf('replay.send')).toEqual([{ deliveryId: delivery.id }])
    expect(store.getState().result).toMatchObject({ kind: 'replay', deliveryId: delivery.id })
  })

  it('binary or truncated bodies cannot be edited as text; an endpoint without rules replays to a URL', async () => {
    const client = new FakeEngineClient()
    const binary = makeDelivery({ bodyBase64: encodeBase64(new Uint8Array([0xff, 0xfe, 0x00])) })
    const cut = makeDelivery({ truncated: true })
    client.deliveries = [binary, cut]
    const store = createReplayStore(client, { forwarding: createForwardingStore(client) })
    await store.getState().open(binary.id)
    expect(store.getState()).toMatchObject({ bodyEditable: false, form: { targetKind: 'url', bodyText: '' } })
    await store.getState().open(cut.id)
    expect(store.getState().bodyEditable).toBe(false)
  })

  it('builds each mode’s params, and says what is missing', () => {
    const form = { ...EMPTY_FORM, url: 'http://127.0.0.1:3000/hook' }
    expect(replayParams('d1', form)).toEqual({ ok: true, params: { deliveryId: 'd1', to: 'http://127.0.0.1:3000/hook' } })
    expect(replayParams('d1', { ...form, mode: 'resigned' })).toEqual({ ok: false, error: 'Choose the keyring key to re-sign with.' })
    expect(replayParams('d1', { ...form, targetKind: 'rule', mode: 'resigned', keyId: 'key_1' })).toEqual({
      ok: true,
      params: { deliveryId: 'd1', resignKeyId: 'key_1' }
    })
    const edited = replayParams('d1', {
      ...form,
      mode: 'edited',
      headersText: 'Content-Type: application/json\nX-A: 1',
      bodyText: '{"é":2}',
      resignEdited: true,
      keyId: 'key_1'
    })
    expect(edited.ok).toBe(true)
    if (edited.ok) {
      expect(edited.params.edit!.headers).toEqual([
        ['Content-Type', 'application/json'],
        ['X-A', '1']
      ])
      expect(decodeUtf8(decodeBase64(edited.params.edit!.bodyBase64!))).toBe('{"é":2}')
      expect(edited.params.resignKeyId).toBe('key_1')
    }
    expect(replayParams('d1', { ...form, mode: 'edited', headersText: 'oops' })).toEqual({ ok: false, error: 'Headers, line 1: expected "Name: value".' })
    expect(replayParams('d1', { ...form, url: 'file:///etc/passwd' }).ok).toBe(false)
  })

  it('shows the engine’s refusal; an answer for a dialog closed meanwhile is dropped', async () => {
    const client = new FakeEngineClient()
    const delivery = makeDelivery()
    client.deliveries = [delivery]
    const store = createReplayStore(client, { forwarding: createForwardingStore(client) })
    await store.getState().open(delivery.id)
    client.failNext['replay.send'] = new EngineError('VAULT_LOCKED', 'the keyring is locked: unlock it to sign with its keys')
    await store.getState().send()
    expect(store.getState()).toMatchObject({ sending: false, error: 'the keyring is locked: unlock it to sign with its keys', result: null })
    client.paused = true
    const sending = store.getState().send()
    store.getState().close()
    client.release()
    await sending
    expect(store.getState()).toMatchObject({ deliveryId: null, result: null })
  })
})

describe('bulk replay store', () => {
  it('starts a batch and follows its progress (also progress that overtakes the answer), then stops it', async () => {
    const client = new FakeEngineClient()
    const store = createBulkReplayStore(client)
    client.subscribe((event) => store.getState().handleEvent(event))
    client.paused = true
    const starting = store.getState().start({ kind: 'selection', deliveryIds: ['d1', 'd2'] }, { to: 'http://127.0.0.1:3000/', concurrency: 2 })
    expect(client.callsOf('replay.start')).toEqual([{ deliveryIds: ['d1', 'd2'], to: 'http://127.0.0.1:3000/', concurrency: 2 }])
    const running = {
      id: 'batch_1',
      kind: 'replay' as const,
      state: 'running' as const,
      total: 2,
      done: 1,
      succeeded: 1,
      failed: 0,
      startedAt: 1,
      finishedAt: null
    }
    client.broadcast({ type: 'batch.progress', batch: running })
    client.release()
    await starting
    expect(store.getState().batch).toMatchObject({ id: 'batch_1', done: 1 })
    client.broadcast({ type: 'batch.progress', batch: { ...running, id: 'someone-elses', done: 5 } })
    expect(store.getState().batch!.id).toBe('batch_1')
    await store.getState().cancel()
    expect(store.getState().batch!.state).toBe('cancelled')

    store.getState().reset()
    await store.getState().start({ kind: 'filter', filter: { q: 'invoice' } }, {})
    expect(client.callsOf('replay.start')[1]).toEqual({ filter: { q: 'invoice' } })
  })
})

describe('signing keys', () => {
  it('lists the keys that sign first, the others with the engine’s reason, and reloads when keys change', async () => {
    const client = new FakeEngineClient()
    client.vault = { state: 'unlocked', protections: ['passphrase'] }
    client.keys = [makeKey({ id: 'k_pub', name: 'Provider' }), makeKey({ id: 'k_ok', name: 'Mine' })]
    client.signingProblems = { k_pub: { code: 'KEY_CANNOT_SIGN', reason: 'signing needs secret, and it holds only publicKey.' } }
    const store = createSigningStore(client)
    store.getState().handleEvent({ type: 'keys.changed' })
    expect(client.callsOf('keys.signing')).toHaveLength(0) // never loaded: nothing to refresh
    await store.getState().load()
    const choices = signingChoices(client.keys, store.getState().overview)
    expect(choices.map((choice) => [choice.key.id, choice.problem?.code ?? null])).toEqual([
      ['k_ok', null],
      ['k_pub', 'KEY_CANNOT_SIGN']
    ])
    expect(choices[0]!.schemeLabel).toBe('Standard Webhooks')
    expect(signingChoices(client.keys, store.getState().overview, 'stripe')).toEqual([])

    client.vault = { state: 'locked', protections: ['passphrase'] }
    store.getState().handleEvent({ type: 'keys.changed' })
    await settle()
    expect(store.getState().overview!.locked).toBe(true)
    expect(signingChoices(client.keys, store.getState().overview).every((choice) => choice.problem?.code === 'VAULT_LOCKED')).toBe(true)
  })
})

describe('sender store', () => {
  it('validates the form before sending', () => {
    const form = { ...DEFAULT_SENDER_FORM, keyId: 'key_1' }
    expect(senderParams(form, 'stripe')).toEqual({
      ok: true,
      params: { url: 'http://127.0.0.1:8080/', keyId: 'key_1', scheme: 'stripe', count: 1, intervalMs: 1000 }
    })
    expect(senderParams({ ...form, keyId: null }, undefined)).toEqual({ ok: false, error: 'Choose the keyring key to sign with.' })
    expect(senderParams({ ...form, count: '0' }, undefined).ok).toBe(false)
    expect(senderParams({ ...form, intervalMs: '1.5' }, undefined).ok).toBe(false)
    const custom = senderParams({ ...form, customBody: true, bodyText: '{"x":1}', headersText: 'X-Trace: 7', templateId: 'stripe.invoice.paid' }, undefined)
    expect(custom.ok && custom.params).toMatchObject({ bodyBase64: text('{"x":1}'), headers: [['X-Trace', '7']] })
    expect(custom.ok && custom.params.event).toBeUndefined()
    const templated = senderParams({ ...form, templateId: 'stripe.invoice.paid' }, 'stripe')
    expect(templated.ok && templated.params.event).toBe('stripe.invoice.paid')
  })

  it('shows each send as it happens, then the run’s whole attempts', async () => {
    const client = new FakeEngineClient()
    client.templates = [{ id: 'stripe.invoice.paid', scheme: 'stripe', event: 'invoice.paid', label: 'Invoice paid', test: false }]
    const store = createSenderStore(client)
    client.subscribe((event) => store.getState().handleEvent(event))
    await store.getState().loadTemplates()
    expect(store.getState().templates).toHaveLength(1)
    store.getState().update({ keyId: 'key_1', count: '2', intervalMs: '0' })
    client.paused = true
    const sending = store.getState().send('stripe')
    const live = summaryOfAttempt(makeAttempt({ kind: 'send', deliveryId: null, state: 'in-flight' }))
    client.broadcast({ type: 'attempt.added', attempt: live })
    client.broadcast({ type: 'attempt.added', attempt: summaryOfAttempt(makeAttempt({ kind: 'replay' })) })
    expect(store.getState().results.map((item) => item.id)).toEqual([live.id])
    client.release()
    await sending
    expect(store.getState().sending).toBe(false)
    expect(store.getState().results).toHaveLength(2)
    expect(Object.keys(store.getState().finished)).toHaveLength(2)
    // After the run, other sends (the CLI's) are not mixed in.
    client.broadcast({ type: 'attempt.added', attempt: summaryOfAttempt(makeAttempt({ kind: 'send' })) })
    expect(store.getState().results).toHaveLength(2)
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import { createKeysStore, type KeysStore } from '../../../renderer/src/stores/keys-store'
import { EngineError } from '../../../shared/errors'
import { FakeEngineClient, makeKey, settle } from './fake-engine-client'

let client: FakeEngineClient
let store: KeysStore

beforeEach(() => {
  client = new FakeEngineClient()
  store = createKeysStore(client)
  client.subscribe((event) => store.getState().handleEvent(event))
})

describe('keys store', () => {
  it('loads the vault state, the keys and the schemes', async () => {
    client.vault = { state: 'locked', protections: ['passphrase'] }
    client.keys = [makeKey()]
    await store.getState().load()
    await settle()
    expect(store.getState()).toMatchObject({ loadStatus: 'ready', vault: { state: 'locked' }, loadError: null })
    expect(store.getState().keys.map((key) => key.id)).toEqual(['key_1'])
    expect(store.getState().schemes.map((scheme) => scheme.id)).toEqual(['standard-webhooks', 'jws'])

    // Schemes are fetched once; state and keys on every load.
    await store.getState().load()
    expect(client.callsOf('verify.schemes')).toHaveLength(1)
    expect(client.callsOf('keys.list')).toHaveLength(2)
  })

  it('shows a load failure and recovers on retry', async () => {
    client.failNext['keys.list'] = new EngineError('TRANSPORT', 'engine unreachable')
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loadStatus: 'error', loadError: 'engine unreachable' })
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loadStatus: 'ready', loadError: null })
  })

  it('sets the passphrase of a new vault, and refuses a wrong one when unlocking', async () => {
    await store.getState().load()
    expect(store.getState().vault?.state).toBe('uninitialized')
    const set = await store.getState().setPassphrase('correct horse')
    expect(set.ok).toBe(true)
    expect(store.getState().vault?.state).toBe('unlocked')

    client.vault = { state: 'locked', protections: ['passphrase'] }
    await store.getState().load()
    const wrong = await store.getState().unlock('nope')
    expect(wrong).toEqual({ ok: false, error: 'wrong passphrase' })
    expect(store.getState().vault?.state).toBe('locked')
    const right = await store.getState().unlock('correct horse')
    expect(right.ok).toBe(true)
    expect(store.getState().vault?.state).toBe('unlocked')
  })

  it('creates a key and returns the engine sentence when it refuses one', async () => {
    client.vault = { state: 'unlocked', protections: ['passphrase'] }
    await store.getState().load()
    const created = await store.getState().create({ name: 'Orders', scheme: 'standard-webhooks', material: { secret: 'whsec_abc' } })
    expect(created.ok).toBe(true)
    expect(store.getState().keys.map((key) => key.name)).toEqual(['Orders'])

    client.failNext['keys.create'] = new EngineError('BAD_INPUT', 'the publicKey field is not PEM, JWK JSON, base64 DER or a raw Ed25519 key')
    const refused = await store.getState().create({ name: 'Bad', scheme: 'jws', material: { publicKey: 'x' } })
    expect(refused).toEqual({ ok: false, error: 'the publicKey field is not PEM, JWK JSON, base64 DER or a raw Ed25519 key' })
    expect(store.getState().keys).toHaveLength(1)
  })

  it('activates, deletes and removes keys, marking them busy only while acting', async () => {
    client.keys = [makeKey({ id: 'a', status: 'INACTIVE' }), makeKey({ id: 'b' })]
    await store.getState().load()

    client.paused = true
    const activating = store.getState().activate('a')
    expect(store.getState().busyIds).toEqual({ a: true })
    client.release()
    await activating
    expect(store.getState().busyIds).toEqual({})
    expect(store.getState().keys.find((key) => key.id === 'a')?.status).toBe('ACTIVE')

    await store.getState().deleteKey('b')
    expect(store.getState().keys.find((key) => key.id === 'b')).toMatchObject({ status: 'DELETED', deletedAt: 3 })
    await store.getState().removeKey('b')
    expect(store.getState().keys.map((key) => key.id)).toEqual(['a'])

    await store.getState().activate('missing')
    expect(store.getState().actionError).toBe('no key with id "missing"')
    store.getState().dismissActionError()
    expect(store.getState().actionError).toBeNull()
  })

  it('hands revealed material to the caller without keeping it in the store', async () => {
    client.vault = { state: 'unlocked', protections: ['passphrase'] }
    client.keys = [makeKey({ id: 'k' })]
    client.material = { k: { secret: 'whsec_TOP_SECRET' } }
    await store.getState().load()
    const revealed = await store.getState().reveal('k')
    expect(revealed).toEqual({ ok: true, value: { secret: 'whsec_TOP_SECRET' } })
    expect(JSON.stringify(store.getState())).not.toContain('TOP_SECRET')

    client.vault = { state: 'locked', protections: ['passphrase'] }
    expect(await store.getState().reveal('k')).toEqual({ ok: false, error: 'the keyring is locked: unlock it first' })
  })

  it('imports a keyring file or a bundle and exports a bundle', async () => {
    client.vault = { state: 'unlocked', protections: ['passphrase'] }
    await store.getState().load()
    const fromFile = await store.getState().importKeyring({ keys: [{ scheme: 'standard-webhooks', secret: 'x' }] })
    expect(fromFile).toEqual({ ok: true, value: { imported: 1, skipped: [{ index: 1, reason: 'id already in the keyring' }] } })
    expect(client.callsOf('keys.import')[0]).toEqual({ keyring: { keys: [{ scheme: 'standard-webhooks', secret: 'x' }] } })

    expect(await store.getState().importBundle('hookscope-keyring-v1.a.b', 'wrong')).toEqual({ ok: false, error: 'wrong passphrase or damaged bundle' })
    expect((await store.getState().importBundle('hookscope-keyring-v1.a.b', 'bundle passphrase')).ok).toBe(true)
    expect(client.callsOf('keys.import')[2]).toEqual({ bundle: 'hookscope-keyring-v1.a.b', passphrase: 'bundle passphrase' })

    expect(await store.getState().exportBundle('export passphrase')).toEqual({ ok: true, value: 'hookscope-keyring-v1.header.ciphertext' })
    expect(JSON.stringify(store.getState())).not.toContain('hookscope-keyring-v1')
  })

  it('refetches state and keys on keys.changed and on stream.reset', async () => {
    await store.getState().load()
    client.keys = [makeKey({ id: 'imported' })]
    client.vault = { state: 'unlocked', protections: ['passphrase'] }
    client.broadcast({ type: 'keys.changed' })
    await settle()
    expect(store.getState().keys.map((key) => key.id)).toEqual(['imported'])
    expect(store.getState().vault?.state).toBe('unlocked')

    client.vault = { state: 'locked', protections: ['passphrase'] }
    client.broadcast({ type: 'stream.reset' })
    await settle()
    expect(store.getState().vault?.state).toBe('locked')
  })

  it('keeps the newest answer when refreshes overlap', async () => {
    await store.getState().load()
    client.paused = true
    client.keys = [makeKey({ id: 'old' })]
    client.broadcast({ type: 'keys.changed' })
    client.keys = [makeKey({ id: 'new' })]
    client.broadcast({ type: 'keys.changed' })
    // The older request answers last.
    client.release('lifo')
    await settle()
    expect(store.getState().keys.map((key) => key.id)).toEqual(['new'])
  })
})

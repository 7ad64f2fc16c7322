import { beforeEach, describe, expect, it } from 'vitest'
import { type CertificatesStore, createCertificatesStore } from '../../../renderer/src/stores/certificates-store'
import { EngineError } from '../../../shared/errors'
import { FakeEngineClient, makeCertificate, settle } from './fake-engine-client'

let client: FakeEngineClient
let store: CertificatesStore

const names = () => store.getState().certificates.map((cert) => `${cert.kind}:${cert.name}`)

beforeEach(() => {
  client = new FakeEngineClient()
  client.vault = { state: 'unlocked', protections: ['passphrase'] }
  client.certificates = [makeCertificate()]
  store = createCertificatesStore(client)
  client.subscribe((event) => store.getState().handleEvent(event))
})

describe('certificates store', () => {
  it('loads certificates and expiry warnings; a failure shows and a retry recovers', async () => {
    client.warnings = [{ id: 'ca_1', kind: 'ca', name: 'CA', notAfter: 2, daysLeft: 12, message: 'the local CA expires in 12 day(s)' }]
    client.failNext['certificates.list'] = new EngineError('TRANSPORT', 'engine unreachable')
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loadStatus: 'error', loadError: 'engine unreachable' })
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loadStatus: 'ready', loadError: null })
    expect(names()).toEqual(['ca:Hookscope Local CA 1a2b3c'])
    expect(store.getState().warnings.map((warning) => warning.daysLeft)).toEqual([12])
  })

  it('issues, imports and imports issuers, then lists them (also without the event stream)', async () => {
    await store.getState().load()
    const issued = await store.getState().issueClient('acme-sender')
    expect(issued).toMatchObject({ ok: true, value: { kind: 'client', name: 'acme-sender' } })
    const imported = await store.getState().importClient({ certPem: '-----BEGIN CERTIFICATE-----\n…', keyPem: 'key', name: 'provider' })
    expect(imported.ok).toBe(true)
    const issuers = await store.getState().importIssuer('-----BEGIN CERTIFICATE-----', 'Partner CA')
    expect(issuers).toMatchObject({ ok: true, value: [{ kind: 'issuer', name: 'Partner CA' }] })
    await settle()
    expect(names()).toEqual(['ca:Hookscope Local CA 1a2b3c', 'client:acme-sender', 'client:provider', 'issuer:Partner CA'])
    // No empty name goes out: the engine picks the CN.
    await store.getState().importIssuer('-----BEGIN CERTIFICATE-----')
    expect(client.callsOf('certificates.importIssuer')).toEqual([
      { pem: '-----BEGIN CERTIFICATE-----', name: 'Partner CA' },
      { pem: '-----BEGIN CERTIFICATE-----' }
    ])
  })

  it('hands engine refusals to the form that asked, as sentences', async () => {
    client.vault = { state: 'locked', protections: ['passphrase'] }
    await store.getState().load()
    expect(await store.getState().issueClient('x')).toEqual({ ok: false, error: 'the keyring is locked: unlock it first' })
    client.vault = { state: 'unlocked', protections: ['passphrase'] }
    expect(await store.getState().importClient({ certPem: 'garbage', keyPem: 'k' })).toEqual({
      ok: false,
      error: 'no PEM certificate (-----BEGIN CERTIFICATE-----) found'
    })
    expect(store.getState().actionError).toBeNull()
  })

  it('exports client files to the caller only, never into the store', async () => {
    await store.getState().load()
    const issued = await store.getState().issueClient('acme')
    if (!issued.ok) throw new Error(issued.error)
    const pem = await store.getState().exportClient(issued.value.id, 'pem')
    expect(pem.ok && pem.value.map((file) => file.fileName)).toEqual(['acme.crt.pem', 'acme.key.pem', 'hookscope-ca.crt'])
    const p12 = await store.getState().exportClient(issued.value.id, 'p12', 'secret')
    expect(p12.ok && p12.value.map((file) => file.fileName)).toEqual(['acme.p12'])
    expect(client.callsOf('certificates.exportClient')).toEqual([
      { id: issued.value.id, format: 'pem' },
      { id: issued.value.id, format: 'p12', password: 'secret' }
    ])
    expect(JSON.stringify(store.getState())).not.toContain('a2V5')
  })

  it('exports the CA (creating it on first use) and lists it afterwards', async () => {
    client.certificates = []
    await store.getState().load()
    expect(names()).toEqual([])
    const ca = await store.getState().exportCa('der')
    expect(ca).toMatchObject({ ok: true, value: { fileName: 'hookscope-ca.der', instructions: 'Trust hookscope-ca.crt' } })
    await settle()
    expect(names()).toEqual(['ca:Hookscope Local CA 1a2b3c'])
  })

  it('regenerates the CA: the new one replaces the old, server certificates go', async () => {
    client.certificates = [makeCertificate(), makeCertificate({ id: 'srv', kind: 'server', name: 'localhost' })]
    await store.getState().load()
    const outcome = await store.getState().regenerateCa()
    expect(outcome).toMatchObject({ ok: true, value: { name: 'Hookscope Local CA new' } })
    await settle()
    expect(names()).toEqual(['ca:Hookscope Local CA new'])
  })

  it('removes a certificate (busy meanwhile), and shows a refusal as the action error', async () => {
    client.certificates = [makeCertificate(), makeCertificate({ id: 'iss', kind: 'issuer', name: 'Partner' })]
    client.warnings = [{ id: 'iss', kind: 'issuer', name: 'Partner', notAfter: 1, daysLeft: -3, message: 'expired' }]
    await store.getState().load()
    client.paused = true
    const removing = store.getState().remove('iss')
    expect(store.getState().busyIds).toEqual({ iss: true })
    client.release()
    await removing
    expect(store.getState().busyIds).toEqual({})
    expect(names()).toEqual(['ca:Hookscope Local CA 1a2b3c'])
    expect(store.getState().warnings).toEqual([])

    await store.getState().remove('ca_1')
    expect(store.getState().actionError).toBe('the local CA is replaced with certificates.regenerateCa, not removed')
    store.getState().dismissActionError()
    expect(store.getState().actionError).toBeNull()
  })

  it('refetches on certificates.changed and stream.reset; an older answer never overwrites a newer one', async () => {
    await store.getState().load()
    client.certificates = [...client.certificates, makeCertificate({ id: 'c2', kind: 'client', name: 'from the CLI' })]
    client.broadcast({ type: 'certificates.changed' })
    await settle()
    expect(names()).toContain('client:from the CLI')

    client.paused = true
    client.broadcast({ type: 'certificates.changed' })
    client.certificates = []
    client.broadcast({ type: 'stream.reset' })
    // The first (stale) refresh answers last.
    client.release('lifo')
    await settle()
    expect(names()).toEqual([])
  })
})

import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { afterEach, describe, expect, it } from 'vitest'
import type { ReceivedRequest } from '../helpers/relay-targets'
import { answer, startTarget, type TargetServer } from '../helpers/relay-targets'
import { makeTempDir } from '../helpers/temp-dir'
import { startTestEngine, type TestEngine } from '../helpers/test-engine'

/**
 * The relay through the engine API, as the UI and the CLI use it: forwarding rules, replays to
 * HTTPS targets trusted through the local CA or an imported CA, mTLS targets with a client
 * certificate from the certificate store.
 */
const PASSPHRASE = 'relay integration passphrase'
const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function engine(options: Parameters<typeof startTestEngine>[0]['endpoint'] = {}): Promise<TestEngine> {
  const dir = makeTempDir()
  cleanup.push(() => dir.remove())
  const started = await startTestEngine({ dataDir: dir.path, passphrase: PASSPHRASE, endpoint: options })
  cleanup.push(() => started.stop())
  return started
}

async function target(...args: Parameters<typeof startTarget>): Promise<TargetServer> {
  const server = await startTarget(...args)
  cleanup.push(() => server.close())
  return server
}

/** Posts a delivery to the engine's test endpoint and returns its id. */
async function capture(hook: TestEngine, body = '{"type":"ping"}', path = '/hooks/ping'): Promise<string> {
  const response = await fetch(new URL(path, hook.url), { method: 'POST', body, headers: { 'content-type': 'application/json' } })
  expect(response.status).toBe(200)
  return ((await response.json()) as { id: string }).id
}

describe('forwarding rules through the API', () => {
  it('stores rules with defaults, keeps them across restarts, warns about targets off this machine', async () => {
    const dir = makeTempDir()
    cleanup.push(() => dir.remove())
    const first = await startTestEngine({ dataDir: dir.path })
    const config = await first.client.invoke('forwarding.set', {
      endpointId: 'test',
      rules: [
        { target: 'https://hooks.example.com/in', match: { pathPrefix: '/x' } },
        { target: 'http://127.0.0.1:3000', name: 'app' }
      ]
    })
    expect(config.rules[1]).toMatchObject({
      name: 'app',
      enabled: true,
      mode: 'passthrough',
      timeoutMs: 30_000,
      retry: { preset: 'fast' },
      preserveHost: false
    })
    expect(config.warnings).toEqual([expect.stringContaining('hooks.example.com, which is not this machine')])
    expect(first.events).toContainEqual({ type: 'forwarding.changed', config })
    await first.stop()
    const second = await startTestEngine({ dataDir: dir.path })
    cleanup.push(() => second.stop())
    expect(await second.client.invoke('forwarding.get', { endpointId: 'test' })).toEqual(config)
  })

  it('refuses bad rules as BAD_INPUT and unknown endpoints as NOT_FOUND', async () => {
    const hook = await engine()
    await expect(hook.client.invoke('forwarding.set', { endpointId: 'test', rules: [{ target: 'ftp://x/' }] })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(hook.client.invoke('forwarding.set', { endpointId: 'test', rules: [{ target: 'http://a/', timeoutMs: -1 }] })).rejects.toMatchObject({
      code: 'BAD_INPUT'
    })
    await expect(hook.client.invoke('forwarding.set', { endpointId: 'nope', rules: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(hook.client.invoke('forwarding.get', { endpointId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('replay through the API', () => {
  it('replays a captured delivery, lists the attempt with it and returns it whole', async () => {
    const hook = await engine()
    const app = await target(answer(201, '{"ok":true}', [['Content-Type', 'application/json']]))
    const id = await capture(hook)
    const attempt = await hook.client.invoke('replay.send', { deliveryId: id, to: app.url })
    expect(attempt).toMatchObject({ kind: 'replay', deliveryId: id, state: 'succeeded', status: 201, target: `${app.url}/hooks/ping` })
    expect(Buffer.from(attempt.requestBodyBase64, 'base64').toString()).toBe('{"type":"ping"}')
    expect(Buffer.from(attempt.responseBodyBase64!, 'base64').toString()).toBe('{"ok":true}')
    expect(attempt.verdict).toMatchObject({ status: 'unchecked' })
    expect((await hook.client.invoke('attempts.list', { deliveryId: id })).items.map((a) => a.id)).toEqual([attempt.id])
    expect(await hook.client.invoke('attempts.get', { id: attempt.id })).toEqual(attempt)
    expect(
      hook.events
        .filter((event) => event.type === 'attempt.added' || event.type === 'attempt.updated')
        .map((event) => 'attempt' in event && event.attempt.state)
    ).toEqual(['in-flight', 'succeeded'])
  })

  it('trusts HTTPS targets signed by the local CA; names an unknown CA and how to trust it; then trusts it once imported', async () => {
    const hook = await engine()
    const own = await hook.client.invoke('endpoints.create', { id: 'own-tls', name: 'own', tls: { mode: 'https' } })
    const id = await capture(hook)
    const ownTarget = `https://127.0.0.1:${own.state.port}`
    expect(await hook.client.invoke('replay.send', { deliveryId: id, to: ownTarget })).toMatchObject({ state: 'succeeded', status: 200 })

    const other = await engine({ tls: { mode: 'https' } })
    const refused = await hook.client.invoke('replay.send', { deliveryId: id, to: other.url })
    expect(refused).toMatchObject({ state: 'failed', status: null, error: { code: 'TLS_UNKNOWN_CA' } })
    expect(refused.error!.message).toMatch(
      new RegExp(`^the certificate of 127\\.0\\.0\\.1:${other.port} is signed by a CA Hookscope does not trust .*import that CA certificate`)
    )

    const otherCa = await other.client.invoke('certificates.exportCa', { format: 'pem' })
    await hook.client.invoke('certificates.importIssuer', { pem: Buffer.from(otherCa.contentBase64, 'base64').toString() })
    expect(await hook.client.invoke('replay.send', { deliveryId: id, to: other.url })).toMatchObject({ state: 'succeeded', status: 200 })
  })

  it("presents the rule's client certificate to an mTLS target that requires one", async () => {
    const hook = await engine()
    const mtls = await hook.client.invoke('endpoints.create', { id: 'mtls', name: 'mtls', tls: { mode: 'https+mtls', clientCert: 'require' } })
    const client = await hook.client.invoke('certificates.issueClient', { name: 'relay-client' })
    const id = await capture(hook)
    const target = `https://127.0.0.1:${mtls.state.port}`

    await hook.client.invoke('forwarding.set', { endpointId: 'test', rules: [{ target }] })
    const without = await hook.client.invoke('replay.send', { deliveryId: id })
    // The server completes the handshake, judges the (absent) certificate and drops the connection.
    expect(without).toMatchObject({ state: 'failed', status: null, error: { code: 'CONNECTION_RESET' } })
    expect(without.error!.message).toMatch(/requires a client certificate does this too: choose one in the rule$/)

    await hook.client.invoke('forwarding.set', { endpointId: 'test', rules: [{ target, clientCertificateId: client.id }] })
    const withCert = await hook.client.invoke('replay.send', { deliveryId: id })
    expect(withCert).toMatchObject({ state: 'succeeded', status: 200 })
    const received = (await hook.client.invoke('deliveries.list', { endpointId: 'mtls' })).items
    expect(received).toHaveLength(1)
    const detail = await hook.client.invoke('deliveries.get', { id: received[0]!.id })
    expect(detail.tls?.clientCert?.subject).toContain('relay-client')
  })

  it('bulk replay by filter returns a batch at once and reports progress', async () => {
    const hook = await engine()
    const app = await target(answer(200))
    await capture(hook, '{"n":1}', '/a')
    await capture(hook, '{"n":2}', '/b')
    await capture(hook, '{"n":3}', '/a/2')
    const batch = await hook.client.invoke('replay.start', { filter: { q: '/a' }, to: app.url })
    expect(batch).toMatchObject({ state: 'running', total: 2 })
    await app.waitForRequests(2)
    const finished = await new Promise((resolve) => {
      const check = () => hook.events.find((event) => event.type === 'batch.progress' && event.batch.id === batch.id && event.batch.state === 'finished')
      const found = check()
      if (found) return resolve(found)
      const unsubscribe = hook.engine.subscribe(() => {
        const later = check()
        if (!later) return
        unsubscribe()
        resolve(later)
      })
    })
    expect(finished).toMatchObject({ batch: { done: 2, succeeded: 2 } })
    expect((await hook.client.invoke('replay.batch', { batchId: batch.id })).state).toBe('finished')
    expect(app.requests.map((r) => r.url).sort()).toEqual(['/a', '/a/2'])
    await expect(hook.client.invoke('replay.start', { to: app.url })).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})

describe("re-signed replays, checked by the providers' own libraries", () => {
  const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const STRIPE_SECRET = 'whsec_Kp3tS0mEs3cr3tV4lu3F0rT3st1ng'
  const GITHUB_SECRET = "It's a Secret to Everybody"
  const headersOf = (received: ReceivedRequest) => Object.fromEntries(received.headers.map(([name, value]) => [name.toLowerCase(), value]))

  it('Standard Webhooks, Svix, Stripe and GitHub: a stale capture re-signed verifies at the target and in its own verdict', async () => {
    const hook = await engine()
    const app = await target(answer(200))
    const keys = {
      standard: await hook.client.invoke('keys.create', { name: 'orders', scheme: 'standard-webhooks', material: { secret: WHSEC }, status: 'ACTIVE' }),
      svix: await hook.client.invoke('keys.create', { name: 'clerk', scheme: 'svix', material: { secret: WHSEC }, status: 'ACTIVE' }),
      stripe: await hook.client.invoke('keys.create', { name: 'stripe', scheme: 'stripe', material: { secret: STRIPE_SECRET }, status: 'ACTIVE' }),
      github: await hook.client.invoke('keys.create', { name: 'github', scheme: 'github', material: { secret: GITHUB_SECRET }, status: 'ACTIVE' })
    }
    const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'invoice.paid', data: { object: { amount_paid: 4200 } } })
    const id = await capture(hook, body)

    for (const [name, key] of Object.entries(keys)) {
      const attempt = await hook.client.invoke('replay.send', { deliveryId: id, to: app.url, resignKeyId: key.id })
      expect(attempt, name).toMatchObject({ state: 'succeeded', resignedWith: key.id, verdict: { status: 'valid', scheme: key.scheme } })
    }
    const [standard, svix, stripe, github] = app.requests
    expect(() => new StandardWebhook(WHSEC).verify(standard!.body.toString(), headersOf(standard!))).not.toThrow()
    expect(() => new SvixWebhook(WHSEC).verify(svix!.body.toString(), headersOf(svix!))).not.toThrow()
    expect(() =>
      new Stripe('sk_test_hookscope').webhooks.constructEvent(stripe!.body.toString(), headersOf(stripe!)['stripe-signature']!, STRIPE_SECRET)
    ).not.toThrow()
    expect(await octokitVerify(GITHUB_SECRET, github!.body.toString(), headersOf(github!)['x-hub-signature-256']!)).toBe(true)
    // The same bytes as captured: only the signature headers changed.
    for (const received of app.requests) expect(received.body.toString()).toBe(body)
  })

  it('an edited and re-signed replay verifies; an edit under the old signature does not', async () => {
    const hook = await engine()
    const app = await target(answer(200))
    const key = await hook.client.invoke('keys.create', { name: 'orders', scheme: 'standard-webhooks', material: { secret: WHSEC }, status: 'ACTIVE' })
    const id = await capture(hook, '{"type":"invoice.paid","amount":4200}')
    const edited = Buffer.from('{"type":"invoice.paid","amount":9900}').toString('base64')
    const signed = await hook.client.invoke('replay.send', { deliveryId: id, to: app.url, resignKeyId: key.id, edit: { bodyBase64: edited } })
    expect(signed).toMatchObject({ state: 'succeeded', edited: true, verdict: { status: 'valid' } })
    expect(() => new StandardWebhook(WHSEC).verify(app.requests[0]!.body.toString(), headersOf(app.requests[0]!))).not.toThrow()
    const tampered = await hook.client.invoke('replay.send', {
      deliveryId: id,
      to: app.url,
      edit: {
        bodyBase64: Buffer.from('{"type":"invoice.paid","amount":1}').toString('base64'),
        headers: app.requests[0]!.headers.filter(([name]) => name.toLowerCase().startsWith('webhook-'))
      }
    })
    expect(tampered.verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
  })
})

import { createServer, type IncomingMessage } from 'node:http'
import SmeeClient from 'smee-client'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../electron/engine/clock'
import { silentLogger } from '../../electron/engine/logger'
import { SmeeLink } from '../../electron/engine/tunnel/smee-link'
import type { TunnelHealth } from '../../shared/model/tunnel'
import { pollUntil } from '../helpers/cli-process'
import { cleanupList, FakeIngress, httpRequest } from '../helpers/relay'
import { startSmeeFixture } from '../helpers/smee-server'

const cleanups = cleanupList()
afterEach(() => cleanups.run())

function smeeLink(url: string, ingress: FakeIngress, idleTimeoutMs?: number) {
  const health: TunnelHealth[] = []
  const link = new SmeeLink(
    url,
    {
      endpointId: 'test',
      ingress,
      clock: systemClock,
      logger: silentLogger,
      maxBodyBytes: () => 1024 * 1024,
      backoff: { initialMs: 20, maxMs: 200 },
      onHealth: (state) => health.push(state)
    },
    idleTimeoutMs
  )
  link.start()
  cleanups.add(() => link.stop())
  return { link, health }
}

describe('smee channels', () => {
  it('the fixture speaks the protocol the real smee-client consumes', async () => {
    const smee = await startSmeeFixture()
    cleanups.add(() => smee.stop())
    const received: { headers: IncomingMessage['headers']; body: string; url: string }[] = []
    const target = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), url: req.url ?? '' })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve))
    cleanups.add(() => new Promise((resolve) => target.close(resolve)))
    const port = (target.address() as { port: number }).port
    const client = new SmeeClient({ source: `${smee.url}/fixture-check`, target: `http://127.0.0.1:${port}/hook`, logger: { info() {}, error() {} } })
    await client.start()
    cleanups.add(() => client.stop())

    await httpRequest(`${smee.url}/fixture-check?a=1`, {
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'push']
      ],
      body: Buffer.from('{ "b" : 2 }')
    })
    await pollUntil(() => received.length === 1, 'smee-client to forward the event')
    expect(received[0]!.body).toBe('{"b":2}')
    expect(received[0]!.url).toBe('/hook?a=1')
    expect(received[0]!.headers['x-github-event']).toBe('push')
  })

  it('turns events into deliveries marked re-serialised, with headers, query and re-encoded bodies', async () => {
    const smee = await startSmeeFixture()
    cleanups.add(() => smee.stop())
    const ingress = new FakeIngress()
    const { health } = smeeLink(`${smee.url}/chan1`, ingress)
    await pollUntil(() => health.some((state) => state.status === 'connected'), 'the smee link to connect')

    const original = '{\n  "action": "opened",\n  "n": 1\n}'
    expect(
      (
        await httpRequest(`${smee.url}/chan1?x=1`, {
          headers: [
            ['Content-Type', 'application/json'],
            ['X-Hub-Signature-256', 'sha256=abc']
          ],
          body: Buffer.from(original)
        })
      ).status
    ).toBe(200)
    await httpRequest(`${smee.url}/chan1`, {
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: Buffer.from('payload=%7B%22a%22%3A1%7D&z=2')
    })
    await ingress.waitFor(2)

    const [json, form] = ingress.received
    expect(json!.body.toString()).toBe('{"action":"opened","n":1}')
    expect(json!.bodySize).toBe(json!.body.length)
    expect(json!.url).toBe('/?x=1')
    expect(json!.method).toBe('POST')
    expect(json!.headers).toEqual(
      expect.arrayContaining([
        ['content-type', 'application/json'],
        ['x-hub-signature-256', 'sha256=abc']
      ])
    )
    expect(json!.source).toEqual({ kind: 'tunnel', provider: 'smee', publicUrl: `${smee.url}/chan1?x=1`, reserialized: true })
    expect(form!.body.toString()).toBe('payload=%7B%22a%22%3A1%7D&z=2')
  })

  it('reconnects when the stream drops, and when it goes silent', async () => {
    const smee = await startSmeeFixture({ pingMs: 60_000 })
    cleanups.add(() => smee.stop())
    const ingress = new FakeIngress()
    const { health } = smeeLink(`${smee.url}/chan2`, ingress, 300)
    await pollUntil(() => health.some((state) => state.status === 'connected'), 'the smee link to connect')
    smee.dropStreams()
    await pollUntil(() => health.some((state) => state.status === 'reconnecting' && state.error?.code === 'TUNNEL_CLOSED'), 'the drop to be seen')
    // No pings from this fixture: the link gives up on the silent stream and connects again.
    await pollUntil(() => health.some((state) => state.error?.code === 'TUNNEL_HEARTBEAT'), 'the silent stream to be dropped')
    await pollUntil(() => health.at(-1)?.status === 'connected' && smee.listeners('chan2') === 1, 'a fresh connection')
    await httpRequest(`${smee.url}/chan2`, { headers: [['Content-Type', 'application/json']], body: Buffer.from('{"after":true}') })
    await ingress.waitFor(1)
    expect(ingress.received[0]!.body.toString()).toBe('{"after":true}')
  })
})

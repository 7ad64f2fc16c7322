import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { pollUntil } from '../helpers/cli-process'
import { cleanupList, httpRequest } from '../helpers/relay'
import { startSmeeFixture } from '../helpers/smee-server'
import { makeTempDir } from '../helpers/temp-dir'
import { startTestEngine } from '../helpers/test-engine'

const SECRET = 'gh-webhook-secret'
const cleanups = cleanupList()
afterEach(() => cleanups.run())

/**
 * A delivery that came through smee carries its source into the API, and a failed signature on it
 * names smee's re-serialisation as the likely cause on every check: at capture, in the re-check the
 * worker runs when a key is added, and in `deliveries.verify`.
 */
describe('smee deliveries in the engine', () => {
  it('expose their source and keep the re-serialisation hint when re-checked', async () => {
    const dir = makeTempDir('hookscope-smee-')
    cleanups.add(async () => dir.remove())
    const smee = await startSmeeFixture()
    cleanups.add(() => smee.stop())
    const hook = await startTestEngine({ dataDir: dir.path, passphrase: 'correct horse battery staple' })
    cleanups.add(() => hook.stop())
    const channelUrl = `${smee.url}/recheck`
    await hook.client.invoke('tunnels.set', { endpointId: 'test', url: channelUrl })
    await pollUntil(async () => (await hook.client.invoke('tunnels.list', {}))[0]?.health.status === 'connected', 'the smee tunnel to connect')

    // Signed over the bytes the sender sent; smee passes the body on as {"action":"opened","n":1}.
    const body = Buffer.from('{ "action": "opened", "n": 1 }')
    const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
    const sent = await httpRequest(`${channelUrl}?x=1`, {
      headers: [
        ['Content-Type', 'application/json'],
        ['X-GitHub-Event', 'pull_request'],
        ['X-Hub-Signature-256', signature]
      ],
      body
    })
    expect(sent.status).toBe(200)
    const page = await pollUntil(async () => {
      const list = await hook.client.invoke('deliveries.list', {})
      return list.items.length === 1 ? list : null
    }, 'the smee delivery to be stored')
    const id = page.items[0]!.id

    const captured = await hook.client.invoke('deliveries.get', { id })
    expect(captured.source).toEqual({ kind: 'tunnel', provider: 'smee', publicUrl: `${channelUrl}?x=1`, reserialized: true })
    expect(Buffer.from(captured.bodyBase64, 'base64').toString()).toBe('{"action":"opened","n":1}')
    expect(captured.verdictDetail).toMatchObject({ status: 'unchecked', code: 'NO_KEY', scheme: 'github' })

    // Adding the key re-checks the unchecked delivery in the worker: it fails, and says why.
    await hook.client.invoke('keys.create', { name: 'GitHub', scheme: 'github', material: { secret: SECRET } })
    const rechecked = await pollUntil(async () => {
      const delivery = await hook.client.invoke('deliveries.get', { id })
      return delivery.verdictDetail?.status === 'invalid' ? delivery.verdictDetail : null
    }, 'the key-change re-check')
    expect(rechecked.code).toBe('SIG_MISMATCH')
    expect(rechecked.findings[0]?.code).toBe('BODY_RESERIALIZED')
    expect(rechecked.summary).toMatch(/Likely cause: smee re-serialised the body\.$/)
    // The worker's progress event travels by message, the row by the database: either may come first.
    await pollUntil(
      () => hook.events.some((event) => event.type === 'deliveries.recheck' && event.schemes.includes('github')) || null,
      'the re-check progress event'
    )

    // A re-check on demand says the same, once.
    const verified = await hook.client.invoke('deliveries.verify', { id })
    expect(verified.status).toBe('invalid')
    expect(verified.findings.filter((finding) => finding.code === 'BODY_RESERIALIZED')).toHaveLength(1)
    expect(verified.findings[0]?.code).toBe('BODY_RESERIALIZED')
    expect((await hook.client.invoke('deliveries.get', { id })).verdictDetail?.findings[0]?.code).toBe('BODY_RESERIALIZED')
  }, 60_000)
})

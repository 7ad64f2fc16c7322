import { createHmac } from 'node:crypto'
import { verify as octokitVerify, sign } from '@octokit/webhooks-methods'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

const SECRET = "It's a Secret to Everybody"
const NOW = 1_700_000_000
const body = '{"action":"opened","number":7,"sender":{"login":"octocat"},"title":"Caf\\u00e9"}'
const DELIVERY = '72d3162e-cc78-11e3-81ab-4c9367dc0958'

async function headers(payload = body, secret = SECRET): Promise<Record<string, string>> {
  return {
    'X-GitHub-Event': 'pull_request',
    'X-GitHub-Delivery': DELIVERY,
    'X-GitHub-Hook-ID': '292430182',
    'X-Hub-Signature-256': await sign(secret, payload),
    'Content-Type': 'application/json'
  }
}
const key = (secret = SECRET) => makeKey('github', { secret })
const run = (h: Record<string, string>, keys = [key()], payload: string = body) => check(makeRequest(h, payload), keys, NOW)
const sha1 = (payload: string, secret = SECRET) => 'sha1=' + createHmac('sha1', secret).update(payload).digest('hex')

describe('github preset', () => {
  it('accepts what @octokit/webhooks-methods signs, with X-GitHub-Delivery as delivery id', async () => {
    const verdict = await run(await headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'github', code: null, findings: [] })
    expect(verdict.deliveryId).toBe(DELIVERY)
  })

  it('accepts the documented example from GitHub docs', async () => {
    // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!".
    const h = { ...(await headers()), 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' }
    expect((await run(h, [key()], 'Hello, World!')).status).toBe('valid')
  })

  it('rejects a changed body like octokit does, and explains the \\u escape case change', async () => {
    const h = await headers()
    const changed = body.replace('\\u00e9', '\\u00E9')
    expect(await octokitVerify(SECRET, changed, h['X-Hub-Signature-256']!)).toBe(false)
    expect(outcome(await run(h, [key()], changed))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('falls back to the legacy sha1 header only when sha256 is absent', async () => {
    const legacy = { ...without(await headers(), 'X-Hub-Signature-256'), 'X-Hub-Signature': sha1(body) }
    expect(outcome(await run(legacy))).toMatchObject({ status: 'valid', scheme: 'github' })
    // Both present: only sha256 counts, so a broken sha256 fails even with a good sha1.
    const both = { ...(await headers()), 'X-Hub-Signature': sha1(body), 'X-Hub-Signature-256': 'sha256=' + '0'.repeat(64) }
    expect((await run(both)).code).toBe('SIG_MISMATCH')
  })

  it('spots a base64 signature, a wrong secret and another key', async () => {
    const b64 = 'sha256=' + createHmac('sha256', SECRET).update(body).digest('base64')
    expect(outcome(await run({ ...(await headers()), 'X-Hub-Signature-256': b64 }))).toMatchObject({ findings: ['SIGNATURE_ENCODING'] })
    const other = makeKey('github', { secret: 'old secret' }, { status: 'DELETED' })
    const verdict = await run(await headers(body, 'old secret'), [key(), other])
    expect(verdict).toMatchObject({ status: 'invalid', code: 'KEY_DELETED', keyId: other.id })
  })

  it('gives the header codes', async () => {
    const bound = makeKey('github', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await run(without(await headers(), 'X-Hub-Signature-256'), [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    const bare = (await headers())['X-Hub-Signature-256']!.slice('sha256='.length)
    expect(await run({ ...(await headers()), 'X-Hub-Signature-256': bare })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
  })

  it('is picked from its headers alone, and an unsigned GitHub delivery still names GitHub', async () => {
    expect(await detectedScheme(await headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'github' })
    const legacy = { ...without(await headers(), 'X-Hub-Signature-256'), 'X-Hub-Signature': sha1(body) }
    expect(await detectedScheme(legacy, body)).toMatchObject({ code: 'NO_KEY', scheme: 'github' })
    expect(await detectedScheme({ 'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': DELIVERY }, body)).toMatchObject({ code: 'NO_KEY', scheme: 'github' })
  })
})

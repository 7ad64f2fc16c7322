import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

// No Intercom SDK verifies webhooks: the signature is computed here by the documented algorithm
// (Intercom webhook docs, "signed notifications": X-Hub-Signature = "sha1=" + hex HMAC-SHA1 of the body, client secret as key).
const SECRET = 'c5f1bd1c-5b0c-4b0e-9f0e-7b3a1d2e4f60'
const NOW = 1_700_000_000
const body = '{"type":"notification_event","app_id":"abc123","id":"notif_7f3e","topic":"conversation.user.created","data":{"item":{"type":"conversation"}}}'
const signature = (payload = body, secret = SECRET) => 'sha1=' + createHmac('sha1', secret).update(payload).digest('hex')
const run = (headers: Record<string, string>, keys = [makeKey('intercom', { secret: SECRET })], payload = body) =>
  check(makeRequest(headers, payload), keys, NOW)

describe('intercom preset', () => {
  it('accepts a delivery signed by the documented algorithm', async () => {
    const verdict = await run({ 'X-Hub-Signature': signature() })
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'intercom', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('notif_7f3e')
  })

  it('rejects a changed body, explaining a pretty-printed one', async () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    expect(outcome(await run({ 'X-Hub-Signature': signature() }, undefined, pretty))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('calls a signature without the sha1= prefix malformed', async () => {
    expect(await run({ 'X-Hub-Signature': signature().slice(5) })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
  })

  it('shares X-Hub-Signature with GitHub: GitHub headers mean GitHub, none mean Intercom', async () => {
    expect(await detectedScheme({ 'X-Hub-Signature': signature() }, body)).toMatchObject({ code: 'NO_KEY', scheme: 'intercom' })
    expect(await detectedScheme({ 'X-Hub-Signature': signature() }, '{"zen":"x"}')).toMatchObject({ code: 'NO_KEY', scheme: 'intercom' })
    expect(await detectedScheme({ 'X-Hub-Signature': signature(), 'X-GitHub-Event': 'push' }, body)).toMatchObject({ scheme: 'github' })
    // With keys for both, the keys' schemes compete on the same scores.
    const both = [makeKey('github', { secret: SECRET }), makeKey('intercom', { secret: SECRET })]
    expect(await run({ 'X-Hub-Signature': signature() }, both)).toMatchObject({ status: 'valid', scheme: 'intercom' })
    expect(await run({ 'X-Hub-Signature': signature(), 'X-GitHub-Delivery': 'd1' }, both)).toMatchObject({ status: 'valid', scheme: 'github' })
  })
})

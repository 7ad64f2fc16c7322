import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// No Twitch library is installed: signed here by the documented algorithm (dev.twitch.tv "Verifying
// the event message": "sha256=" + hex HMAC-SHA256 of message id + timestamp + raw body).
const SECRET = 's3cRe7-of-ten-to-100-chars'
const ID = 'e76c6bd4-55c9-4987-8304-da1588d8988b'
const TIMESTAMP = '2023-11-14T22:13:20.123456789Z'
const NOW = Date.parse('2023-11-14T22:13:20.123Z') / 1000
const body = '{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2"},"event":{"user_name":"cool_user"}}'
const sign = (id = ID, ts = TIMESTAMP, payload = body) =>
  'sha256=' +
  createHmac('sha256', SECRET)
    .update(id + ts + payload)
    .digest('hex')
const headers = (signature = sign(), ts = TIMESTAMP): Record<string, string> => ({
  'Twitch-Eventsub-Message-Id': ID,
  'Twitch-Eventsub-Message-Retry': '0',
  'Twitch-Eventsub-Message-Type': 'notification',
  'Twitch-Eventsub-Message-Signature': signature,
  'Twitch-Eventsub-Message-Timestamp': ts,
  'Twitch-Eventsub-Subscription-Type': 'channel.follow'
})
const run = (h: Record<string, string>, nowSec = NOW, payload: string = body) => check(makeRequest(h, payload), [makeKey('twitch', { secret: SECRET })], nowSec)

describe('twitch preset', () => {
  it('accepts a delivery signed by the documented algorithm (nanosecond RFC 3339 timestamp as sent)', async () => {
    const verdict = await run(headers())
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'twitch', code: null, findings: [] })
    expect(verdict.deliveryId).toBe(ID)
  })

  it('refuses messages more than 10 minutes old', async () => {
    expect(await run(headers(), NOW + 601)).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 601, toleranceSeconds: 600 } })
    expect((await run(headers(), NOW + 599)).status).toBe('valid')
  })

  it('covers the message id and explains a changed body', async () => {
    expect(outcome(await run({ ...headers(), 'Twitch-Eventsub-Message-Id': 'other' }))).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
    expect(outcome(await run(headers(), NOW, body + '\n'))).toMatchObject({ findings: ['BODY_CHANGED'] })
  })

  it('gives the header codes and is detected from its headers', async () => {
    expect(await run(without(headers(), 'Twitch-Eventsub-Message-Id'))).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await run(without(headers(), 'Twitch-Eventsub-Message-Timestamp'))).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run(headers(sign(), '1700000000'))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run(headers(sign().slice(7)))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'twitch' })
  })
})

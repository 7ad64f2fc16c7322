import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome, without } from './preset-harness'

// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'
const TS = 1531420618
const body =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'

const headers = (signature = DOC_SIGNATURE, ts = TS) => ({
  'X-Slack-Signature': signature,
  'X-Slack-Request-Timestamp': String(ts),
  'Content-Type': 'application/x-www-form-urlencoded'
})
const key = (options: Record<string, unknown> = {}) => makeKey('slack', { secret: SECRET }, { options })
const run = (h: Record<string, string>, nowSec = TS, payload: string = body, keys = [key()]) => check(makeRequest(h, payload), keys, nowSec)
const sign = (ts: number, payload = body, secret: string | Buffer = SECRET) => 'v0=' + createHmac('sha256', secret).update(`v0:${ts}:${payload}`).digest('hex')

describe('slack preset', () => {
  it("accepts Slack's published example", async () => {
    expect(outcome(await run(headers()))).toEqual({ status: 'valid', scheme: 'slack', code: null, findings: [] })
    expect(sign(TS)).toBe(DOC_SIGNATURE) // the documented algorithm, independently
  })

  it('checks the window both ways (±300 s)', async () => {
    expect(await run(headers(), TS + 301)).toMatchObject({ code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 301, toleranceSeconds: 300 } })
    expect(await run(headers(), TS - 301)).toMatchObject({ code: 'TIMESTAMP_FUTURE', timestamp: { skewSeconds: -301 } })
    expect((await run(headers(), TS + 299)).status).toBe('valid')
    expect((await run(headers(), TS + 900, body, [key({ toleranceSeconds: 1000 })])).status).toBe('valid')
  })

  it('spots a hex-decoded signing secret and a changed body', async () => {
    const hexSecret = 'abcdef0123456789abcdef0123456789'
    const decoded = sign(TS, body, Buffer.from(hexSecret, 'hex'))
    expect(outcome(await run(headers(decoded), TS, body, [makeKey('slack', { secret: hexSecret })]))).toMatchObject({ findings: ['SECRET_DECODING'] })
    expect(outcome(await run(headers(), TS, body + '\n'))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
    expect(outcome(await run(headers(), TS, body.replace('foobar', 'foobaz')))).toMatchObject({ code: 'SIG_MISMATCH', findings: [] })
  })

  it('reports a millisecond timestamp', async () => {
    const ms = TS * 1000
    const verdict = await run(headers(sign(ms), ms))
    expect(verdict.code).toBe('TIMESTAMP_FUTURE')
    expect(verdict.findings.map((f) => f.code)).toContain('TIMESTAMP_UNIT')
  })

  it('gives the header codes and is detected from its header', async () => {
    expect(await run(without(headers(), 'X-Slack-Request-Timestamp'))).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run(headers(DOC_SIGNATURE.replace('v0=', 'v1=')))).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run({ ...headers(), 'X-Slack-Request-Timestamp': 'now' })).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    const bound = makeKey('slack', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await run(without(headers(), 'X-Slack-Signature'), TS, body, [bound])).toMatchObject({ code: 'SIG_HEADER_MISSING' })
    expect(await detectedScheme(headers(), body)).toMatchObject({ code: 'NO_KEY', scheme: 'slack' })
  })
})

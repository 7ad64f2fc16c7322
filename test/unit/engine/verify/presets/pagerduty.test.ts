import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

// Official vector from PagerDuty's Go client (github.com/PagerDuty/go-pagerduty, webhookv3/webhookv3_test.go).
// The secret looks like base64 but is used as typed.
const SECRET = 'lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK'
const body = `{"event":{"id":"01BWDWL3NYY7LUFPZCC28QUCMK","event_type":"incident.priority_updated","resource_type":"incident","occurred_at":"2021-04-26T17:36:27.458Z","agent":{"html_url":"https://acme.pagerduty.com/users/PLH1HKV","id":"PLH1HKV","self":"https://api.pagerduty.com/users/PLH1HKV","summary":"Tenex Engineer","type":"user_reference"},"client":null,"data":{"id":"PGR0VU2","type":"incident","self":"https://api.pagerduty.com/incidents/PGR0VU2","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2","number":2,"status":"triggered","title":"A little bump in the road","service":{"html_url":"https://acme.pagerduty.com/services/PF9KMXH","id":"PF9KMXH","self":"https://api.pagerduty.com/services/PF9KMXH","summary":"API Service","type":"service_reference"},"assignees":[{"html_url":"https://acme.pagerduty.com/users/PTUXL6G","id":"PTUXL6G","self":"https://api.pagerduty.com/users/PTUXL6G","summary":"User 123","type":"user_reference"}],"escalation_policy":{"html_url":"https://acme.pagerduty.com/escalation_policies/PUS0KTE","id":"PUS0KTE","self":"https://api.pagerduty.com/escalation_policies/PUS0KTE","summary":"Default","type":"escalation_policy_reference"},"teams":[{"html_url":"https://acme.pagerduty.com/teams/PFCVPS0","id":"PFCVPS0","self":"https://api.pagerduty.com/teams/PFCVPS0","summary":"Engineering","type":"team_reference"}],"priority":{"html_url":"https://acme.pagerduty.com/account/incident_priorities","id":"PSO75BM","self":"https://api.pagerduty.com/priorities/PSO75BM","summary":"P1","type":"priority_reference"},"urgency":"high","conference_bridge":{"conference_number":1000,"conference_url":"https://example.com"},"resolve_reason":null}}}`
const VALID = 'v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd'
const MISMATCH = 'v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5'
const NOW = 1_700_000_000
const run = (signature: string, payload: string = body, keys = [makeKey('pagerduty', { secret: SECRET })]) =>
  check(makeRequest({ 'X-PagerDuty-Signature': signature, 'Content-Type': 'application/json' }, payload), keys, NOW)

describe('pagerduty preset', () => {
  it("accepts go-pagerduty's valid vector and rejects its mismatch vector", async () => {
    const verdict = await run(VALID)
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'pagerduty', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('01BWDWL3NYY7LUFPZCC28QUCMK')
    expect(outcome(await run(MISMATCH))).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH', findings: [] })
  })

  it('accepts a matching v1 anywhere in the comma-separated list (rotation), skipping other versions', async () => {
    expect((await run(`${MISMATCH}, v2=abcd,${VALID}`)).status).toBe('valid')
  })

  it('uses the base64-looking secret as typed: a signer that decoded it is a SECRET_DECODING near miss', async () => {
    const decoded = 'v1=' + createHmac('sha256', Buffer.from(SECRET, 'base64')).update(body).digest('hex')
    expect(outcome(await run(decoded))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SECRET_DECODING'] })
  })

  it('explains a pretty-printed body', async () => {
    expect(outcome(await run(VALID, JSON.stringify(JSON.parse(body), null, 2)))).toMatchObject({ findings: ['BODY_CHANGED'] })
  })

  it('calls a header without v1 entries malformed, and is detected from its header', async () => {
    expect(await run('0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd')).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run('v2=abc')).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await detectedScheme({ 'x-pagerduty-signature': VALID }, body)).toMatchObject({ code: 'NO_KEY', scheme: 'pagerduty' })
  })
})

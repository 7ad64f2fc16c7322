import { createHmac } from 'node:crypto'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { check, detectedScheme, makeKey, makeRequest, outcome } from './preset-harness'

const stripe = new Stripe('sk_test_hookscope')
const SECRET = 'whsec_Kp3tS0mEs3cr3tV4lu3F0rT3st1ng'
const NOW = 1_700_000_000
// Stripe sends pretty-printed JSON (2 spaces).
const body = JSON.stringify(
  { id: 'evt_1OabcXYZ', object: 'event', type: 'invoice.paid', data: { object: { amount_paid: 4200, customer_name: 'Zoë' } } },
  null,
  2
)

const sign = (payload = body, secret = SECRET, timestamp = NOW) => stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp })
const key = (secret = SECRET, options: Record<string, unknown> = {}) => makeKey('stripe', { secret }, { options })
const run = (signature: string, keys = [key()], payload: string | Buffer = body, nowSec = NOW) =>
  check(makeRequest({ 'Stripe-Signature': signature, 'Content-Type': 'application/json' }, payload), keys, nowSec)

/** stripe-node's own verdict on the same bytes (receivedAt pins its clock). */
function stripeAccepts(payload: string, signature: string, secret = SECRET, nowSec = NOW): boolean {
  try {
    stripe.webhooks.constructEvent(payload, signature, secret, 300, undefined, nowSec * 1000)
    return true
  } catch {
    return false
  }
}

describe('stripe preset', () => {
  it('accepts what stripe-node signs, with the evt_ id as delivery id', async () => {
    const signature = sign()
    expect(stripeAccepts(body, signature)).toBe(true)
    const verdict = await run(signature)
    expect(outcome(verdict)).toEqual({ status: 'valid', scheme: 'stripe', code: null, findings: [] })
    expect(verdict.deliveryId).toBe('evt_1OabcXYZ')
    expect(verdict.signedContent).toBe(`${NOW}.${body}`)
  })

  it('accepts any of several v1 signatures and ignores v0 (rotation, legacy test signatures)', async () => {
    const good = sign().split(',v1=')[1]!
    const signature = `t=${NOW},v1=${'0'.repeat(64)},v0=${'1'.repeat(64)},v1=${good}`
    expect(stripeAccepts(body, signature)).toBe(true)
    expect((await run(signature)).status).toBe('valid')
  })

  it('rejects a changed body as stripe-node does, and explains a re-serialised one', async () => {
    const signature = sign()
    const compact = JSON.stringify(JSON.parse(body))
    expect(stripeAccepts(compact, signature)).toBe(false)
    expect(outcome(await run(signature, [key()], compact))).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('explains a trailing newline added by a proxy', async () => {
    expect(outcome(await run(sign(), [key()], body + '\n'))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })

  it('uses the secret with its whsec_ prefix: a sender that stripped or base64-decoded it is a SECRET_DECODING near miss', async () => {
    const stripped = sign(body, SECRET.slice('whsec_'.length))
    expect(stripeAccepts(body, stripped)).toBe(false)
    expect(outcome(await run(stripped))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SECRET_DECODING'] })

    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64')
    const mac = createHmac('sha256', decodedKey).update(`${NOW}.${body}`).digest('hex')
    expect(outcome(await run(`t=${NOW},v1=${mac}`))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SECRET_DECODING'] })
  })

  it('says so when the keyring holds the secret without its whsec_ prefix', async () => {
    const verdict = await run(sign(), [key(SECRET.slice('whsec_'.length))])
    expect(outcome(verdict)).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SECRET_DECODING'] })
    expect(verdict.summary).toContain('whsec_')
  })

  it('spots a base64 signature where Stripe sends hex', async () => {
    const mac = createHmac('sha256', SECRET).update(`${NOW}.${body}`).digest('base64')
    expect(outcome(await run(`t=${NOW},v1=${mac}`))).toMatchObject({ code: 'SIG_MISMATCH', findings: ['SIGNATURE_ENCODING'] })
  })

  it('refuses timestamps older than 300 s (past only), like stripe-node, and honours toleranceSeconds', async () => {
    const old = sign(body, SECRET, NOW - 400)
    expect(stripeAccepts(body, old)).toBe(false)
    const verdict = await run(old)
    expect(verdict).toMatchObject({ status: 'invalid', code: 'TIMESTAMP_STALE', timestamp: { skewSeconds: 400, toleranceSeconds: 300 } })
    // A timestamp from the future passes: Stripe's libraries only refuse old ones.
    expect((await run(sign(body, SECRET, NOW + 3600))).status).toBe('valid')
    expect((await run(old, [key(SECRET, { toleranceSeconds: 600 })])).status).toBe('valid')
  })

  it('accepts a timestamp 1,000 s in the future as stripe-node does, and says the window is past-only', async () => {
    const ahead = sign(body, SECRET, NOW + 1000)
    expect(stripeAccepts(body, ahead)).toBe(true)
    const verdict = await run(ahead)
    expect(verdict).toMatchObject({ status: 'valid', timestamp: { skewSeconds: -1000, toleranceSeconds: 300, direction: 'past' } })
    // The step must not read as if a ±300 s window had been applied ("999 s ahead, within 300 s").
    const step = verdict.steps.find((s) => s.label === 'Timestamp')!
    expect(step).toMatchObject({ ok: true })
    expect(step.detail).not.toMatch(/within|±/)
    expect(step.detail).toContain('1000 s ahead')
  })

  it('agrees with stripe-node at the edge of the window, whatever the milliseconds of the arrival', async () => {
    const signature = sign()
    for (const age of [299, 300, 301]) {
      for (const ms of [0, 1, 499, 500, 501, 999]) {
        const receivedAtMs = (NOW + age) * 1000 + ms
        let accepted = true
        try {
          stripe.webhooks.constructEvent(body, signature, SECRET, 300, undefined, receivedAtMs)
        } catch {
          accepted = false
        }
        const verdict = await check(makeRequest({ 'Stripe-Signature': signature }, body), [key()], receivedAtMs / 1000)
        expect({ age, ms, status: verdict.status }).toEqual({ age, ms, status: accepted ? 'valid' : 'invalid' })
      }
    }
  })

  it('gives the header codes: missing, no v1, no t=, bad t=', async () => {
    const none = await check(makeRequest({ 'Content-Type': 'application/json' }, body), [key()], NOW)
    expect(none.status).toBe('unchecked') // nothing points to Stripe and the key is unbound
    const bound = makeKey('stripe', { secret: SECRET }, { endpointIds: ['default'] })
    expect(await check(makeRequest({}, body), [bound], NOW)).toMatchObject({ status: 'invalid', code: 'SIG_HEADER_MISSING' })
    expect(await run(`t=${NOW},v0=${'1'.repeat(64)}`)).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run(`v1=${'1'.repeat(64)}`)).toMatchObject({ code: 'TIMESTAMP_MISSING' })
    expect(await run(`t=yesterday,v1=${'1'.repeat(64)}`)).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
    expect(await run('garbage')).toMatchObject({ code: 'SIG_HEADER_MALFORMED' })
  })

  it('is picked from the Stripe-Signature header alone', async () => {
    expect(await detectedScheme({ 'stripe-signature': sign() }, body)).toMatchObject({ status: 'unchecked', code: 'NO_KEY', scheme: 'stripe' })
  })
})

import { createHmac } from 'node:crypto'
import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { signRequest } from '../../../../electron/engine/sign/sign-request'
import { expectVerifies, headerOf, headerRecord, makeKey, NOW, pinDateToSigningClock, resign, signInput, verdictOf } from './sign-harness'

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const OTHER_WHSEC = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD'
const body = JSON.stringify({ type: 'invoice.paid', data: { id: 'inv_1', amount: 4200, note: 'Zoë' } }, null, 2)

pinDateToSigningClock()

describe('Standard Webhooks and Svix', () => {
  it('replaces id, timestamp and signature in place, keeping order and case, and standardwebhooks accepts it', async () => {
    const key = makeKey('standard-webhooks', { secret: WHSEC })
    const input = signInput(
      [
        ['Content-Type', 'application/json'],
        ['Webhook-Id', 'msg_old'],
        ['Webhook-Timestamp', '1600000000'],
        ['Webhook-Signature', 'v1,b2xk v1a,b2xkZXI='],
        ['X-Trace', 'a']
      ],
      body
    )
    const signed = resign(input, key)
    expect(signed.headers.map(([name]) => name)).toEqual(['Content-Type', 'Webhook-Id', 'Webhook-Timestamp', 'Webhook-Signature', 'X-Trace'])
    expect(headerOf(signed, 'webhook-id')).toBe(`msg_${input.newId}`)
    expect(headerOf(signed, 'webhook-timestamp')).toBe(String(NOW / 1000))
    expect(headerOf(signed, 'webhook-signature')).toMatch(/^v1,[A-Za-z0-9+/]+=*$/)
    expect(signed.body.equals(input.body)).toBe(true)
    expect(() => new StandardWebhook(WHSEC).verify(signed.body.toString(), headerRecord(signed))).not.toThrow()
    await expectVerifies(signed, input, key, [makeKey('standard-webhooks', { secret: OTHER_WHSEC }), key])
  })

  it('adds the headers when the request has none', async () => {
    const key = makeKey('standard-webhooks', { secret: WHSEC })
    const input = signInput({ 'Content-Type': 'application/json' }, body)
    const signed = resign(input, key)
    expect(signed.headers.map(([name]) => name)).toEqual(['Content-Type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'])
    await expectVerifies(signed, input, key)
  })

  it('signs Svix headers that the svix library accepts', async () => {
    const key = makeKey('svix', { secret: WHSEC })
    const input = signInput({ 'svix-id': 'msg_1', 'svix-timestamp': '1', 'svix-signature': 'v1,AAAA' }, body)
    const signed = resign(input, key)
    expect(() => new SvixWebhook(WHSEC).verify(signed.body.toString(), headerRecord(signed))).not.toThrow()
    await expectVerifies(signed, input, key)
  })

  it('an edited body re-signed verifies; the same edit without re-signing does not', async () => {
    const key = makeKey('standard-webhooks', { secret: WHSEC })
    const original = resign(signInput({}, body), key)
    const edited = body.replace('4200', '9900')
    const input = signInput(original.headers, edited, { newId: 'second' })
    const resigned = resign(input, key)
    await expectVerifies(resigned, input, key)
    expect(() => new StandardWebhook(WHSEC).verify(edited, headerRecord(resigned))).not.toThrow()
    const stale = await verdictOf({ ...original, body: Buffer.from(edited) }, input, [key])
    expect(stale.status).toBe('invalid')
  })
})

describe('Stripe', () => {
  const stripe = new Stripe('sk_test_hookscope')
  const SECRET = 'whsec_Kp3tS0mEs3cr3tV4lu3F0rT3st1ng'
  const event = JSON.stringify({ id: 'evt_1OabcXYZ', object: 'event', type: 'invoice.paid', data: { object: { amount_paid: 4200 } } }, null, 2)

  it('writes t= and v1= that stripe-node accepts, replacing a v0 legacy entry', async () => {
    const key = makeKey('stripe', { secret: SECRET })
    const input = signInput({ 'Stripe-Signature': 't=1,v1=00,v0=11', 'Content-Type': 'application/json; charset=utf-8' }, event)
    const signed = resign(input, key)
    expect(headerOf(signed, 'Stripe-Signature')).toMatch(new RegExp(`^t=${NOW / 1000},v1=[0-9a-f]{64}$`))
    const parsed = stripe.webhooks.constructEvent(signed.body.toString(), headerOf(signed, 'Stripe-Signature')!, SECRET, 300, undefined, NOW)
    expect(parsed.id).toBe('evt_1OabcXYZ')
    await expectVerifies(signed, input, key)
    expect(signed.notes.length).toBeGreaterThan(0)
  })

  it('an edited and re-signed event passes stripe-node', () => {
    const key = makeKey('stripe', { secret: SECRET })
    const edited = event.replace('4200', '1')
    const signed = resign(signInput({}, edited), key)
    expect(() => stripe.webhooks.constructEvent(edited, headerOf(signed, 'Stripe-Signature')!, SECRET, 300, undefined, NOW)).not.toThrow()
  })
})

describe('GitHub', () => {
  const SECRET = "It's a Secret to Everybody"
  const push = '{"ref":"refs/heads/main","repository":{"full_name":"octo/hello"}}'

  it('signs X-Hub-Signature-256 as octokit does, re-signs the legacy sha1 header too, fresh delivery UUID', async () => {
    const key = makeKey('github', { secret: SECRET })
    const input = signInput(
      {
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        'X-Hub-Signature': 'sha1=00',
        'X-Hub-Signature-256': 'sha256=00'
      },
      push
    )
    const signed = resign(input, key)
    expect(headerOf(signed, 'X-Hub-Signature-256')).toBe(await octokitSign(SECRET, push))
    expect(await octokitVerify(SECRET, push, headerOf(signed, 'X-Hub-Signature-256')!)).toBe(true)
    expect(headerOf(signed, 'X-Hub-Signature')).toBe(`sha1=${createHmac('sha1', SECRET).update(push).digest('hex')}`)
    expect(headerOf(signed, 'X-GitHub-Delivery')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(headerOf(signed, 'X-GitHub-Delivery')).not.toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958')
    await expectVerifies(signed, input, key)
  })

  it('reproduces a legacy sender that sends only the sha1 header', async () => {
    const key = makeKey('github', { secret: SECRET })
    const input = signInput({ 'X-GitHub-Event': 'push', 'X-Hub-Signature': 'sha1=00' }, push)
    const signed = resign(input, key)
    expect(headerOf(signed, 'X-Hub-Signature-256')).toBeUndefined()
    expect(headerOf(signed, 'X-Hub-Signature')).toBe(`sha1=${createHmac('sha1', SECRET).update(push).digest('hex')}`)
    await expectVerifies(signed, input, key)
  })
})

describe('generic HMAC and X-Signature', () => {
  it('follows the key options: template over id, timestamp and body, base64 with a prefix, whsec secret', async () => {
    const options = {
      header: 'X-Acme-Signature',
      algorithm: 'sha512',
      encoding: 'base64',
      prefix: 'v1=',
      template: '{id}.{timestamp}.{method}.{path}.{body}',
      secretDecoding: 'whsec',
      timestampHeader: 'X-Acme-Timestamp',
      idHeader: 'X-Acme-Id'
    }
    const key = makeKey('hmac', { secret: WHSEC }, { options })
    const input = signInput({ 'x-acme-id': 'old', 'Content-Type': 'application/json' }, body, { url: 'https://hooks.example.test/acme?x=1' })
    const signed = resign(input, key)
    expect(signed.headers.map(([name]) => name)).toEqual(['x-acme-id', 'Content-Type', 'X-Acme-Timestamp', 'X-Acme-Signature'])
    const content = `${input.newId}.${NOW / 1000}.POST./acme?x=1.${body}`
    const expected = createHmac('sha512', Buffer.from(WHSEC.slice(6), 'base64'))
      .update(content)
      .digest('base64')
    expect(headerOf(signed, 'X-Acme-Signature')).toBe(`v1=${expected}`)
    await expectVerifies(signed, input, key)
  })

  it('signs the seed X-Signature format (hex of the body, X-Timestamp, X-Webhook-Event-Id)', async () => {
    const key = makeKey('x-signature', { secret: 'seed-secret' })
    const input = signInput({ 'X-Signature': 'ff', 'X-Timestamp': '1', 'X-Webhook-Event-Id': 'evt_old' }, body)
    const signed = resign(input, key)
    expect(headerOf(signed, 'X-Signature')).toBe(createHmac('sha256', 'seed-secret').update(body).digest('hex'))
    expect(headerOf(signed, 'X-Webhook-Event-Id')).toBe(input.newId)
    expect(headerOf(signed, 'X-Timestamp')).toBe(String(NOW / 1000))
    await expectVerifies(signed, input, key)
  })
})

describe('refusals', () => {
  it('refuses INACTIVE and DELETED keys, and keys without a secret, with a stable code', () => {
    const input = signInput({}, body)
    expect(signRequest(input, makeKey('stripe', { secret: 'whsec_x' }, { status: 'DELETED' }))).toMatchObject({ ok: false, code: 'KEY_NOT_ACTIVE' })
    expect(signRequest(input, makeKey('stripe', { secret: 'whsec_x' }, { status: 'INACTIVE' }))).toMatchObject({ ok: false, code: 'KEY_NOT_ACTIVE' })
    expect(signRequest(input, makeKey('github', { publicKey: 'x' }))).toMatchObject({ ok: false, code: 'KEY_CANNOT_SIGN' })
    expect(signRequest(input, makeKey('no-such-scheme', { secret: 'x' }))).toMatchObject({ ok: false, code: 'UNKNOWN_SCHEME' })
  })

  it('refuses a secret the scheme cannot decode, without quoting it', () => {
    const result = signRequest(signInput({}, body), makeKey('standard-webhooks', { secret: 'whsec_!!!not-base64!!!' }))
    expect(result).toMatchObject({ ok: false, code: 'KEY_UNUSABLE' })
    expect(JSON.stringify(result)).not.toContain('not-base64')
  })
})

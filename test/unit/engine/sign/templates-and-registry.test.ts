import { describe, expect, it } from 'vitest'
import { signerFor, signingCapabilities } from '../../../../electron/engine/sign/registry'
import { signRequest } from '../../../../electron/engine/sign/sign-request'
import { findTemplate, renderTemplate, templateInfos, templatesFor } from '../../../../electron/engine/sign/templates'
import { senderTemplates } from '../../../../electron/engine/sign/templates/sender-catalog'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { signingKeys } from './scheme-keys'
import { expectVerifies, NOW, pinDateToSigningClock, resign, signInput } from './sign-harness'

pinDateToSigningClock()

describe('signer registry', () => {
  it('has a signer for every scheme the verifier knows, and says what lets a key sign', () => {
    const capabilities = signingCapabilities()
    expect(capabilities.map((capability) => capability.scheme)).toEqual(allSchemes.map((scheme) => scheme.id))
    for (const capability of capabilities) expect(capability.signsWith.length, capability.scheme).toBeGreaterThan(0)
    expect(Object.keys(signingKeys).sort()).toEqual(allSchemes.map((scheme) => scheme.id).sort())
    expect(signerFor('no-such-scheme')).toBeUndefined()
  })

  it('every public-key scheme explains why a provider key (public half only) cannot sign', () => {
    for (const capability of signingCapabilities().filter((c) => c.signsWith.includes('privateKey') && !c.signsWith.includes('secret'))) {
      expect(capability.limits, capability.scheme).toBeTruthy()
    }
  })
})

describe('templates', () => {
  it('every scheme has at least one template and a test event', () => {
    for (const scheme of allSchemes) {
      const templates = templatesFor(scheme.id)
      expect(templates.length, scheme.id).toBeGreaterThan(0)
      expect(
        templates.some((template) => template.test),
        scheme.id
      ).toBe(true)
    }
    expect(templateInfos('stripe').map((info) => info.id)).toContain('stripe.test.webhook-event')
    expect(findTemplate('invoice.paid', 'stripe')?.id).toBe('stripe.invoice.paid')
    expect(findTemplate('github.ping')?.test).toBe(true)
  })

  it('renders fresh ids and times from the context', () => {
    const template = findTemplate('stripe.invoice.paid')!
    const a = JSON.parse(renderTemplate(template, { now: NOW, newId: 'a1' }).body.toString())
    const b = JSON.parse(renderTemplate(template, { now: NOW + 1000, newId: 'b2' }).body.toString())
    expect([a.id, a.created]).toEqual(['evt_a1', NOW / 1000])
    expect([b.id, b.created]).toEqual(['evt_b2', NOW / 1000 + 1])
  })

  for (const scheme of allSchemes) {
    it(`every ${scheme.id} template, signed, verifies as ${scheme.id} with the key that signed it`, async () => {
      for (const template of templatesFor(scheme.id)) {
        const key = signingKeys[scheme.id]!()
        const rendered = renderTemplate(template, { now: NOW, newId: '01hq3v6x2k9m4n8p7r5s3t1w0y' })
        const input = signInput(rendered.headers, rendered.body, rendered.plaintext ? { plaintext: rendered.plaintext } : {})
        const signed = resign(input, key)
        await expectVerifies(signed, input, key)
        // Re-signing what was sent (a replay) verifies too, with new ids.
        const replay = signInput(signed.headers, signed.body, {
          url: signed.url ?? input.url,
          newId: 'replay-2',
          now: NOW + 1000,
          ...(rendered.plaintext ? { plaintext: rendered.plaintext } : {})
        })
        const resigned = signRequest(replay, key)
        expect(resigned, template.id).toMatchObject({ ok: true })
        if (resigned.ok) await expectVerifies(resigned, replay, key)
      }
    })
  }
})

describe('the sender catalog (the relay sender seam)', () => {
  it('lists the generic test event for any scheme and every provider event under its id', () => {
    const list = senderTemplates.list()
    expect(list[0]).toMatchObject({ id: 'test.webhook-event', schemes: [], contentType: 'application/json' })
    expect(list).toContainEqual(expect.objectContaining({ id: 'github.ping', schemes: ['github'] }))
    expect(list).toContainEqual(expect.objectContaining({ id: 'twilio.incoming-message', contentType: 'application/x-www-form-urlencoded' }))
  })

  it('renders a template with the provider headers and plaintext, which signs and verifies', async () => {
    expect(senderTemplates.render('no.such', { now: NOW, eventId: 'e1', scheme: 'stripe' })).toBeNull()
    const ping = senderTemplates.render('github.ping', { now: NOW, eventId: 'e1', scheme: 'github' })!
    expect(ping.headers).toContainEqual(['X-GitHub-Event', 'ping'])
    const wechat = senderTemplates.render('wechatpay.TRANSACTION.SUCCESS', { now: NOW, eventId: 'e2', scheme: 'wechatpay' })!
    const key = signingKeys.wechatpay!()
    const input = signInput([['Content-Type', wechat.contentType], ...wechat.headers], wechat.body, { plaintext: wechat.plaintext })
    await expectVerifies(resign(input, key), input, key)
    const generic = senderTemplates.render('test.webhook-event', { now: NOW, eventId: 'e3', scheme: 'slack' })!
    expect(JSON.parse(generic.body.toString())).toMatchObject({ type: 'test.webhook-event', id: 'evt_e3' })
  })
})

/**
 * Verifications per second, Hookscope against the providers' own libraries, in the same run:
 *   npm run bench:verify
 * For each scheme: the official SDK's verify, Hookscope's scheme alone (the same work), and
 * Hookscope's full pipeline (auto-detecting the scheme and key from a keyring of several keys), as
 * the capture worker runs it: verdicts compact, their signed-content preview built only when shown.
 */

import { createHmac } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { bench, describe } from 'vitest'
import { allSchemes, findScheme } from '../electron/engine/verify/registry'
import { verifyDelivery } from '../electron/engine/verify/verify-delivery'
import type { VerifyRequest } from '../electron/engine/verify/verify-request'
import type { KeyEntry } from '../shared/model/keyring'

const body = JSON.stringify({
  id: 'evt_1',
  type: 'invoice.paid',
  data: { object: { amount: 4200, currency: 'eur', lines: Array.from({ length: 10 }, (_, i) => ({ id: `li_${i}`, amount: 420 })) } }
})
const now = Date.now()
const seconds = Math.floor(now / 1000)

function key(scheme: string, secret: string): KeyEntry {
  return {
    id: `${scheme}-key`,
    name: scheme,
    scheme,
    keyId: null,
    group: scheme,
    status: 'ACTIVE',
    createdAt: 0,
    activatedAt: 0,
    deletedAt: null,
    endpointIds: [],
    pathPrefixes: [],
    notes: '',
    options: {},
    fields: ['secret'],
    material: { secret }
  }
}
function request(headers: Record<string, string>): VerifyRequest {
  return { method: 'POST', url: 'https://hooks.example.test/webhook', headers: Object.entries(headers), body: Buffer.from(body), endpointId: 'default' }
}
// A keyring with a few unrelated keys, as a user would have.
const others = [key('github', 'gh-secret'), key('shopify', 'shop-secret'), key('slack', 'slack-secret')]

describe('Standard Webhooks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const official = new Webhook(secret)
  const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(seconds), 'webhook-signature': official.sign('msg_1', new Date(now), body) }
  const req = request(headers)
  const k = key('standard-webhooks', secret)
  const scheme = findScheme('standard-webhooks')!
  const context = { now, otherKeys: [] }

  bench('standardwebhooks (official)', () => {
    official.verify(body, headers)
  })
  bench('hookscope scheme', () => {
    if (!(scheme.verify(req, k, context) as { ok: boolean }).ok) throw new Error('not valid')
  })
  bench('hookscope full pipeline (auto-detect, 4 keys)', async () => {
    const verdict = await verifyDelivery(request(headers), { locked: false, keys: [...others, k] }, { schemes: allSchemes, now, checkedAt: now, compact: true })
    if (verdict.status !== 'valid') throw new Error(verdict.summary)
  })
})

describe('Stripe', () => {
  const secret = 'whsec_test_secret_value'
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: seconds })
  const headers = { 'Stripe-Signature': header }
  const req = request(headers)
  const k = key('stripe', secret)
  const scheme = findScheme('stripe')!
  const context = { now, otherKeys: [] }

  bench('stripe-node signature.verifyHeader (official)', () => {
    Stripe.webhooks.signature!.verifyHeader(body, header, secret, 300)
  })
  bench('hookscope scheme', () => {
    if (!(scheme.verify(req, k, context) as { ok: boolean }).ok) throw new Error('not valid')
  })
  bench('hookscope full pipeline (auto-detect, 4 keys)', async () => {
    const verdict = await verifyDelivery(request(headers), { locked: false, keys: [...others, k] }, { schemes: allSchemes, now, checkedAt: now, compact: true })
    if (verdict.status !== 'valid') throw new Error(verdict.summary)
  })
})

// A delivery no key applies to is only auto-detected: from its headers and first bytes, so a
// 10 MiB binary upload should cost what a 1 KiB JSON event does (issue 7: no work proportional to body size).
describe('No key applies (auto-detect only, 4 keys)', () => {
  const upload = Buffer.alloc(10 * 1024 * 1024)
  for (let i = 0; i < upload.length; i++) upload[i] = (i * 2654435761) >>> 24
  const unsigned = (contentType: string, bytes: Buffer): VerifyRequest => ({
    method: 'POST',
    url: 'https://hooks.example.test/webhook',
    headers: [['Content-Type', contentType]],
    body: bytes,
    endpointId: 'default'
  })
  const keyring = { locked: false, keys: [...others, key('mailgun', 'mg-secret')] }
  const detect = async (request: VerifyRequest) => {
    const verdict = await verifyDelivery(request, keyring, { schemes: allSchemes, now, checkedAt: now, compact: true })
    if (verdict.status !== 'unchecked') throw new Error(verdict.summary)
  }

  bench('1 KiB JSON event', () => detect(unsigned('application/json', Buffer.from(body))))
  bench('10 MiB application/octet-stream upload', () => detect(unsigned('application/octet-stream', upload)))
})

// A failed check runs the near-miss search (body variants, other keys, other secret readings) in
// the capture worker, on the thread that writes the store. Over 4 MiB it is skipped: a failing
// 10 MiB delivery should cost its three checks (about 3x the one-HMAC baseline), not the hundreds
// of MiB the search would hash (issue 10).
describe('Failing signature, 10 MiB body, 3 keys (Standard Webhooks)', () => {
  const big = Buffer.alloc(10 * 1024 * 1024)
  big.write('{"type":"upload.finished","data":"')
  big.fill('a', 34, big.length - 2)
  big.write('"}', big.length - 2)
  const secrets = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', 'whsec_Y2hhbmdlZCBzZWNyZXQgZm9yIGJlbmNo']
  const keys = secrets.map((secret, i) => ({ ...key('standard-webhooks', secret), id: `sw-${i}`, name: `sw ${i}` }))
  const signedBy = (secret: string, bytes: Buffer): VerifyRequest => ({
    method: 'POST',
    url: 'https://hooks.example.test/webhook',
    headers: [
      ['Content-Type', 'application/json'],
      ['webhook-id', 'msg_1'],
      ['webhook-timestamp', String(seconds)],
      ['webhook-signature', new Webhook(secret).sign('msg_1', new Date(now), bytes.toString('utf8'))]
    ],
    body: bytes,
    endpointId: 'default'
  })
  // Keys are tried in keyring order: the first is checked alone (one HMAC), the last after two failed checks.
  const validFirst = signedBy(secrets[0]!, big)
  const validLast = signedBy(secrets[2]!, big)
  const failing = signedBy('whsec_bm90IGluIHRoZSBrZXlyaW5nIGF0IGFsbA==', big)
  const check = async (request: VerifyRequest, status: string) => {
    const verdict = await verifyDelivery(request, { locked: false, keys: [...others, ...keys] }, { schemes: allSchemes, now, checkedAt: now, compact: true })
    if (verdict.status !== status) throw new Error(verdict.summary)
  }

  bench("valid signature, 10 MiB body, the sender's key first (baseline: one HMAC)", () => check(validFirst, 'valid'))
  bench("valid signature, 10 MiB body, the sender's key last of 3", () => check(validLast, 'valid'))
  bench('failing signature, 10 MiB body, 3 keys', () => check(failing, 'invalid'))
})

// The near-miss search rebuilds a failing JSON body (re-serialised, pretty-printed, \u escapes
// changed) to tell a body changed in transit: for megabytes of non-ASCII JSON that took 0.4-0.7 s
// on the capture worker's thread, which the hashing budget does not count. Over 256 KiB
// (MAX_JSON_VARIANTS_BODY_BYTES) it is not rebuilt: a failing 3.5 MiB one should cost its check
// and its cheap variants (newlines, line endings, trimmed): tens of milliseconds, not most of a second.
describe('Failing signature, 3.5 MiB non-ASCII JSON body, 1 key (GitHub)', () => {
  const items: unknown[] = []
  for (let i = 0, bytes = 0; bytes < 3.5 * 1024 * 1024; i++) {
    const item = { id: i, name: 'Grüße aus München — 東京タワー ✓', note: `ñandú çedilla ø 😀 ${i}` }
    items.push(item)
    bytes += Buffer.byteLength(JSON.stringify(item))
  }
  const json = Buffer.from(JSON.stringify({ type: 'upload.finished', data: items }))
  const secret = 'gh-bench-secret'
  const signedBy = (signer: string): VerifyRequest => ({
    method: 'POST',
    url: 'https://hooks.example.test/webhook',
    headers: [
      ['Content-Type', 'application/json'],
      ['X-GitHub-Event', 'push'],
      ['X-GitHub-Delivery', 'd-1'],
      ['X-Hub-Signature-256', `sha256=${createHmac('sha256', signer).update(json).digest('hex')}`]
    ],
    body: json,
    endpointId: 'default'
  })
  const valid = signedBy(secret)
  const failing = signedBy('not-in-the-keyring')
  const check = async (request: VerifyRequest, status: string) => {
    const verdict = await verifyDelivery(request, { locked: false, keys: [key('github', secret)] }, { schemes: allSchemes, now, checkedAt: now, compact: true })
    if (verdict.status !== status) throw new Error(verdict.summary)
  }

  bench('valid signature, 3.5 MiB JSON body (baseline: one HMAC)', () => check(valid, 'valid'))
  bench('failing signature, 3.5 MiB JSON body', () => check(failing, 'invalid'))
})

import { createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { expandVerdict } from '../../../../electron/engine/verify/compact-verdict'
import { describeSigned, previewFromRef, previewSignedContent } from '../../../../electron/engine/verify/hmac/signed-content-preview'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { checkDelivery } from '../../../../electron/engine/verify/verify-delivery'
import type { VerifyRequest } from '../../../../electron/engine/verify/verify-request'
import type { CompactVerdict } from '../../../../shared/model/verdict'
import { makeKey, makeRequest } from '../../../helpers/verify-fixtures'

const NOW_MS = 1_700_000_000_000
const NOW = NOW_MS / 1000
const hmacHex = (secret: string, ...parts: (string | Buffer)[]) => parts.reduce((mac, part) => mac.update(part), createHmac('sha256', secret)).digest('hex')

/** The same check twice: as the capture worker stores it (compact), and as everyone else gets it. */
async function both(request: VerifyRequest, keys: ReturnType<typeof makeKey>[]) {
  const options = { schemes: allSchemes, now: NOW_MS, checkedAt: NOW_MS }
  const compact = (await checkDelivery(request, { locked: false, keys }, { ...options, compact: true })).verdict
  const full = (await checkDelivery(request, { locked: false, keys }, options)).verdict
  // What the store holds is JSON: expand what came back from it.
  const stored = JSON.parse(JSON.stringify(compact)) as CompactVerdict
  return { compact, stored, full, expanded: expandVerdict(stored, request.body) }
}

describe('compact verdicts', () => {
  it('store a reference instead of the preview when the body is signed with a prefix (Stripe), and expand to the same verdict', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', note: 'Zoë' }, null, 2)
    const secret = 'whsec_compact'
    const request = makeRequest({ 'Stripe-Signature': `t=${NOW},v1=${hmacHex(secret, `${NOW}.`, body)}` }, body)
    const { compact, stored, full, expanded } = await both(request, [makeKey('stripe', { secret })])
    expect(full).toMatchObject({ status: 'valid', signedContent: `${NOW}.${body}` })
    expect(compact.signedContent).toBeUndefined()
    expect(compact.signedContentRef).toEqual({ before: `${NOW}.`, after: '' })
    // The stored form does not carry the body a second time.
    expect(JSON.stringify(stored)).not.toContain('invoice.paid')
    expect(expanded).toEqual(JSON.parse(JSON.stringify(full)))
    expect(JSON.stringify(expanded)).not.toContain('signedContentRef')
  })

  it('expand to the same verdict for a failed check and for a whole binary body past the 4 KiB preview (GitHub)', async () => {
    const secret = 'gh-compact'
    const body = Buffer.concat([randomBytes(6000), Buffer.from([0xff, 0xfe])])
    for (const signature of [`sha256=${hmacHex(secret, body)}`, `sha256=${'0'.repeat(64)}`]) {
      const request = makeRequest({ 'X-Hub-Signature-256': signature, 'X-GitHub-Event': 'push' }, body)
      const { compact, full, expanded } = await both(request, [makeKey('github', { secret })])
      expect(compact.signedContentRef).toEqual({ before: '', after: '' })
      expect(full.signedContent).toBe(previewSignedContent(body))
      expect(full.signedContent).toMatch(/^<6002 bytes> [0-9a-f]{512}…$/)
      expect(expanded).toEqual(JSON.parse(JSON.stringify(full)))
    }
  })

  it('keep the preview itself when the signed bytes do not contain the body (Mailgun signs fields)', async () => {
    const secret = 'key-compact'
    const token = 'tok123'
    const body = JSON.stringify({
      signature: { timestamp: String(NOW), token, signature: hmacHex(secret, `${NOW}${token}`) },
      'event-data': { event: 'delivered' }
    })
    const request = makeRequest({ 'Content-Type': 'application/json' }, body)
    const { compact, full, expanded } = await both(request, [makeKey('mailgun', { secret })])
    expect(full).toMatchObject({ status: 'valid', signedContent: `${NOW}${token}` })
    expect(compact.signedContent).toBe(`${NOW}${token}`)
    expect(compact.signedContentRef).toBeUndefined()
    expect(expanded).toEqual(JSON.parse(JSON.stringify(full)))
  })

  it('rebuild bytes before and after the body exactly, binary ones included', () => {
    const body = Buffer.from('{"a":1}')
    const before = Buffer.from([0x50, 0x4f, 0x53, 0x54, 0xe9])
    const after = Buffer.from('1700000000')
    const described = describeSigned([before, body, after], body)
    expect(described.signedContent).toBeUndefined()
    expect(previewFromRef(described.signedContentRef!, body)).toBe(previewSignedContent(Buffer.concat([before, body, after])))
    // The body twice among the parts, or not at all: the preview is built at once.
    expect(describeSigned([body, body], body).signedContent).toBe('{"a":1}{"a":1}')
    expect(describeSigned([before], body).signedContent).toBe(previewSignedContent(before))
  })
})

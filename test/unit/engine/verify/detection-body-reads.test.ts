import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { allSchemes, findScheme } from '../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../electron/engine/verify/verify-delivery'
import type { VerifyRequest } from '../../../../electron/engine/verify/verify-request'
import { countingBody, describeReads } from '../../../helpers/counting-body'
import { makeKey, makeRequest } from '../../../helpers/verify-fixtures'

/**
 * Detection runs for every delivery, on the thread that verifies and writes the store, before
 * anyone knows a key of the scheme exists: it may read headers and the first bytes of a body, and
 * look inside a body only when its Content-Type says JSON or a form (or nothing) and it is within
 * the parse limit. The bodies here carry everything the body-reading schemes look for (Mailgun's
 * signature block, Adyen's notificationItems, Feishu's encrypt, an AES-GCM envelope, a JWS
 * field...) so that any scan of them is worth a detector's while; the counting body says how many
 * bytes were read.
 */
const MiB = 1024 * 1024
const BIG = 10 * MiB
/** "The first bytes": what a detector may read of a body it must not parse. */
const FIRST_BYTES = 1024

const TEMPTING_HEAD =
  '{"signature":{"timestamp":"1700000000","token":"tok","signature":"00"},"event-data":{"event":"delivered"},' +
  '"notificationItems":[{"NotificationRequestItem":{"pspReference":"1"}}],"encrypt":"AAAA","nonce":"bm9uY2Vub25jZQ==",' +
  '"ciphertext":"Y2lwaGVy","keyId":"whk_20250101_01","type":"notification_event",' +
  '"signedPayload":"eyJhbGciOiJFUzI1NiJ9.eyJhIjoxfQ.c2ln","pad":"'

function padded(head: string, size: number, fill: string, tail: string): Buffer {
  return Buffer.concat([Buffer.from(head), Buffer.alloc(size - head.length - tail.length, fill), Buffer.from(tail)])
}

const temptingJson = (size: number) => padded(TEMPTING_HEAD, size, 'a', '"}')
const temptingForm = (size: number) => padded('signature=00&token=tok&timestamp=1700000000&event=delivered&pad=', size, 'a', '')
const compactJose = (size: number) => padded('eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.', size, 'a', '.c2ln')
const compactJwe = (size: number) => padded('eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.a.', size, 'a', '.c2ln')
const leadingWhitespace = (size: number) => padded('', size, ' ', '{"signature":{"timestamp":"1","token":"t","signature":"s"}}')

interface Variant {
  name: string
  contentType: string | null
  bytes: Buffer
}

const variants: Variant[] = [
  { name: '10 MiB octet-stream (JSON inside)', contentType: 'application/octet-stream', bytes: temptingJson(BIG) },
  { name: '1 MiB octet-stream (JSON inside, within the parse limit)', contentType: 'application/octet-stream', bytes: temptingJson(MiB) },
  { name: '1 MiB octet-stream (compact JWS inside)', contentType: 'application/octet-stream', bytes: compactJose(MiB) },
  { name: '10 MiB image/png (form inside)', contentType: 'image/png', bytes: temptingForm(BIG) },
  { name: '10 MiB JSON (over the parse limit)', contentType: 'application/json; charset=utf-8', bytes: temptingJson(BIG) },
  { name: '10 MiB JSON without a Content-Type', contentType: null, bytes: temptingJson(BIG) },
  { name: '10 MiB form (over the parse limit)', contentType: 'application/x-www-form-urlencoded', bytes: temptingForm(BIG) },
  { name: '10 MiB compact JWS (application/jose)', contentType: 'application/jose', bytes: compactJose(BIG) },
  { name: '10 MiB compact JWE without a Content-Type', contentType: null, bytes: compactJwe(BIG) },
  { name: '10 MiB of leading whitespace without a Content-Type', contentType: null, bytes: leadingWhitespace(BIG) }
]

function requestOf(variant: Variant, extraHeaders: Record<string, string> = {}) {
  const { body, tally } = countingBody(variant.bytes)
  const headers = { ...(variant.contentType === null ? {} : { 'Content-Type': variant.contentType }), ...extraHeaders }
  return { request: makeRequest(headers, body), tally }
}

/** Key options that send a scheme into the body (JWS `field`); schemes without that option ignore it. */
const OPTION_SETS: (Record<string, unknown> | undefined)[] = [undefined, { field: 'signedPayload' }, { mode: 'notification' }]

describe('scheme detection reads headers and the first bytes, not the body', () => {
  it('no scheme reads a body beyond its first bytes when the body is not JSON or a form by its type, or is over the parse limit', () => {
    const offenders: string[] = []
    for (const variant of variants) {
      for (const scheme of allSchemes) {
        for (const options of OPTION_SETS) {
          // X-Hub-Signature without GitHub headers: Intercom looks into the body for its notification_event type.
          const { request, tally } = requestOf(variant, { 'X-Hub-Signature': 'sha1=00' })
          scheme.detect(request, options)
          if (tally.bytes > FIRST_BYTES)
            offenders.push(`${scheme.id} ${JSON.stringify(options ?? {})} on ${variant.name}: ${tally.bytes} bytes (${describeReads(tally)})`)
        }
      }
    }
    expect(offenders).toEqual([])
  })

  it('a delivery with no key of a matching scheme is checked without reading its body, with or without keys of body-detected schemes', async () => {
    const bodySchemeKeys = [
      makeKey('mailgun', { secret: 'k' }),
      makeKey('adyen', { secret: '00'.repeat(32) }),
      makeKey('intercom', { secret: 'k' }),
      makeKey('aes-256-gcm', { secret: Buffer.alloc(32).toString('base64') }, { keyId: 'whk_20250101_01' }),
      makeKey('feishu', { secret: 'k' }),
      makeKey('jws', { publicKey: 'unused' }),
      makeKey('jws', { publicKey: 'unused' }, { options: { field: 'signedPayload' } }),
      makeKey('jwe', { privateKey: 'unused' })
    ]
    const offenders: string[] = []
    for (const variant of variants) {
      for (const keys of [[], bodySchemeKeys]) {
        const { request, tally } = requestOf(variant)
        const verdict = await verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: 0, checkedAt: 0, compact: true })
        if (tally.bytes > FIRST_BYTES || verdict.code !== 'NO_SCHEME') {
          offenders.push(`${variant.name} (${keys.length} keys): ${verdict.code}, ${tally.bytes} bytes (${describeReads(tally)})`)
        }
      }
    }
    expect(offenders).toEqual([])
  })

  it('still reads a JSON body within the limit (the count sees a parse), and only when its type allows it', () => {
    const token = 'a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0'
    const signature = createHmac('sha256', 'key').update(`1700000000${token}`).digest('hex')
    const bytes = Buffer.from(JSON.stringify({ signature: { timestamp: '1700000000', token, signature }, 'event-data': { event: 'delivered' } }))
    const mailgun = findScheme('mailgun')!
    const detect = (contentType: string) => {
      const { body, tally } = countingBody(bytes)
      const request: VerifyRequest = makeRequest({ 'Content-Type': contentType }, body)
      return { score: mailgun.detect(request), bytes: tally.bytes }
    }
    const json = detect('application/json')
    expect(json.score).toBe(0.9)
    expect(json.bytes).toBeGreaterThanOrEqual(bytes.length)
    expect(detect('application/octet-stream')).toEqual({ score: 0, bytes: 0 })
  })
})

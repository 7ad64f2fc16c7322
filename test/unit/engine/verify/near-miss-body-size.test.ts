import { createHash, createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { FlattenedSign } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { NEAR_MISS_BUDGET_BYTES } from '../../../../electron/engine/verify/diagnostics/near-miss-search'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../electron/engine/verify/verify-delivery'
import type { KeyEntry } from '../../../../shared/model/keyring'
import type { CompactVerdict } from '../../../../shared/model/verdict'
import { countingBody, describeReads } from '../../../helpers/counting-body'
import { makeKey, makeRequest } from '../../../helpers/verify-fixtures'

/**
 * A failed check runs the near-miss search (body variants, other keys, other secret readings...)
 * in the capture worker, on the thread that writes the store. The check itself must stay exact at
 * any size: one MAC over the signed content per key of the scheme. The search must not grow with
 * body × keys: over MAX_VERIFY_BODY_BYTES it is skipped and the verdict says so, and within it
 * the delivery's budget bounds it. Bytes hashed are counted by wrapping node:crypto's createHmac
 * and createHash (and verify, for Ed25519), bytes a JWS signature check covers by spying on
 * WebCrypto's verify (jose's), so
 * the production code is not touched; bytes read in JS by the counting body.
 */
const hashed = vi.hoisted(() => ({ bytes: 0 }))

vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>()
  const { realBytes } = await import('../../../helpers/counting-body')
  const counted = <T extends { update: (...args: never[]) => unknown }>(hash: T): T => {
    const update = hash.update.bind(hash) as (data: unknown, encoding?: unknown) => unknown
    Object.assign(hash, {
      update(data: unknown, encoding?: unknown) {
        const bytes = realBytes(data)
        hashed.bytes += typeof bytes === 'string' ? Buffer.byteLength(bytes, encoding as BufferEncoding) : (bytes as Uint8Array).byteLength
        update(bytes, encoding)
        return hash
      }
    })
    return hash
  }
  return {
    ...crypto,
    createHmac: (...args: Parameters<typeof crypto.createHmac>) => counted(crypto.createHmac(...args)),
    createHash: (...args: Parameters<typeof crypto.createHash>) => counted(crypto.createHash(...args)),
    // One-shot signature checks (Ed25519, ECDSA, RSA) hash what they verify.
    verify: (algorithm: string | null, data: NodeJS.ArrayBufferView, key: Parameters<typeof crypto.verify>[2], signature: NodeJS.ArrayBufferView) => {
      hashed.bytes += data.byteLength
      return crypto.verify(algorithm, data, key, signature)
    }
  }
})

const KiB = 1024
const MiB = 1024 * KiB
const BIG = 10 * MiB
const NOW = 1_700_000_000
/** Signed bytes besides the body (ids, timestamps, a URL), and what a check may read of a body in JS: headers and first bytes. */
const SMALL = 64 * KiB
const FIRST_BYTES = KiB

const jsonOf = (size: number) => {
  const head = '{"type":"upload.finished","data":"'
  return Buffer.concat([Buffer.from(head), Buffer.alloc(size - head.length - 2, 'a'), Buffer.from('"}')])
}
/** The same body with its last data byte changed: what a proxy or a bug in between might do. */
const tampered = (body: Buffer) => {
  const copy = Buffer.from(body)
  copy[copy.length - 3] = 0x62
  return copy
}
const hex = (key: Buffer | string, ...parts: (string | Buffer)[]) => {
  const mac = createHmac('sha256', key)
  for (const part of parts) mac.update(part)
  return mac.digest('hex')
}

interface Signed {
  headers: Record<string, string>
  url?: string
}

interface SchemeCase {
  scheme: string
  secret(): string
  /** Headers (and URL) of a delivery of `body` signed with `secret`. */
  sign(secret: string, body: Buffer): Signed
  /** The body that arrives for a signed `body` in the failing case (another secret signed it, or it was changed). */
  failing: 'wrong-key' | 'changed-body'
}

const whsec = () => `whsec_${randomBytes(24).toString('base64')}`
const plain = () => randomBytes(16).toString('hex')

const cases: SchemeCase[] = [
  {
    scheme: 'standard-webhooks',
    secret: whsec,
    sign: (secret, body) => {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
      const mac = createHmac('sha256', key).update(`msg_1.${NOW}.`).update(body).digest('base64')
      return { headers: { 'Content-Type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(NOW), 'webhook-signature': `v1,${mac}` } }
    },
    failing: 'wrong-key'
  },
  {
    scheme: 'github',
    secret: plain,
    sign: (secret, body) => ({
      headers: {
        'Content-Type': 'application/json',
        'X-GitHub-Event': 'push',
        'X-GitHub-Delivery': 'd-1',
        'X-Hub-Signature-256': `sha256=${hex(secret, body)}`
      }
    }),
    failing: 'wrong-key'
  },
  {
    scheme: 'stripe',
    secret: whsec,
    sign: (secret, body) => ({ headers: { 'Content-Type': 'application/json', 'Stripe-Signature': `t=${NOW},v1=${hex(secret, `${NOW}.`, body)}` } }),
    failing: 'wrong-key'
  },
  {
    // Twilio signs the URL, which carries the body's SHA-256: the signature holds, the body does not match it.
    scheme: 'twilio',
    secret: plain,
    sign: (secret, body) => {
      const url = `https://hooks.example.test/twilio/events?bodySHA256=${createHash('sha256').update(body).digest('hex')}`
      return { url, headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': createHmac('sha1', secret).update(url).digest('base64') } }
    },
    failing: 'changed-body'
  }
]

interface Keyring {
  keys: KeyEntry[]
  /** Keys of the scheme that apply to the delivery: each one is checked (one MAC over the signed content). */
  candidates: number
}

/**
 * Keys of the scheme: `candidates` that apply (the sender's secret among them when `senderIn`), and
 * `elsewhere` bound to another endpoint (tried only by the near-miss search), plus two of other schemes.
 */
function keyring(c: SchemeCase, sender: string, o: { candidates: number; elsewhere: number; senderIn: boolean }): Keyring {
  const keys: KeyEntry[] = []
  for (let i = 0; i < o.candidates; i++) {
    const last = i === o.candidates - 1
    keys.push(makeKey(c.scheme, { secret: last && o.senderIn ? sender : c.secret() }))
  }
  for (let i = 0; i < o.elsewhere; i++) keys.push(makeKey(c.scheme, { secret: c.secret() }, { endpointIds: ['staging'] }))
  keys.push(makeKey('slack', { secret: plain() }), makeKey('shopify', { secret: plain() }))
  return { keys, candidates: o.candidates }
}

/** The delivery of `body` for the case: signed by `sender` (over a changed body, for a failing Twilio delivery). */
function delivery(c: SchemeCase, sender: string, body: Buffer, fail: boolean) {
  const changed = fail && c.failing === 'changed-body'
  const signed = c.sign(sender, changed ? tampered(body) : body)
  return { signed, body }
}

async function check(c: SchemeCase, sender: string, bytes: Buffer, ring: Keyring, fail: boolean, counting: boolean) {
  const { signed } = delivery(c, sender, bytes, fail)
  const { body, tally } = counting ? countingBody(bytes) : { body: bytes, tally: { bytes: 0, reads: {} } }
  const request = makeRequest(signed.headers, body, signed.url ? { url: signed.url } : {})
  hashed.bytes = 0
  const verdict: CompactVerdict = await verifyDelivery(
    request,
    { locked: false, keys: ring.keys },
    { schemes: allSchemes, now: NOW * 1000, checkedAt: 0, compact: true }
  )
  return { verdict, hashed: hashed.bytes, read: tally.bytes, reads: describeReads(tally) }
}

const codes = (verdict: CompactVerdict) => verdict.findings.map((finding) => finding.code)

/** A failed check of a 10 MiB body whose near-miss search was skipped, and that went through at most `bound` bytes. */
function expectSearchSkipped(verdict: CompactVerdict, code: string, bytes: number, bound: number, what: string) {
  expect(bytes, `${what}: ${(bytes / MiB).toFixed(1)} MiB`).toBeLessThanOrEqual(bound)
  expect({ status: verdict.status, code: verdict.code, findings: codes(verdict) }).toEqual({ status: 'invalid', code, findings: ['NEAR_MISS_SKIPPED'] })
  expect(verdict.summary).toContain('(10.0 MiB) is too large for the near-miss search')
}

describe('the near-miss search of a large delivery is bounded', () => {
  const big = jsonOf(BIG)

  for (const c of cases) {
    it(`${c.scheme}: a failing 10 MiB delivery hashes its body once per key of the scheme, however many other keys there are, and says the search was skipped`, async () => {
      const sender = c.secret()
      for (const elsewhere of [2, 8]) {
        // The Twilio sender's token is in the keyring: its URL signature holds and the body's hash is what fails.
        const ring = keyring(c, sender, { candidates: c.failing === 'changed-body' ? 1 : 3, elsewhere, senderIn: c.failing === 'changed-body' })
        const result = await check(c, sender, big, ring, true, false)
        expectSearchSkipped(result.verdict, 'SIG_MISMATCH', result.hashed, ring.candidates * (BIG + SMALL), `${elsewhere} keys elsewhere, hashed`)
      }
    })

    it(`${c.scheme}: a failing 10 MiB delivery is not read in JS (no text, no copies, no variants)`, async () => {
      const sender = c.secret()
      const ring = keyring(c, sender, { candidates: c.failing === 'changed-body' ? 1 : 3, elsewhere: 4, senderIn: c.failing === 'changed-body' })
      const result = await check(c, sender, big, ring, true, true)
      expect(result.verdict.code).toBe('SIG_MISMATCH')
      expect(result.read, result.reads).toBeLessThanOrEqual(FIRST_BYTES)
    })

    it(`${c.scheme}: a valid 10 MiB delivery is valid, its body hashed once per key tried`, async () => {
      const sender = c.secret()
      // The sender's key is the last of three: two failed checks (and their searches) come first.
      const ring = keyring(c, sender, { candidates: 3, elsewhere: 4, senderIn: true })
      // A plain body, then a counting one (which native code other than the hashing refuses).
      for (const counting of [false, true]) {
        const result = await check(c, sender, big, ring, false, counting)
        expect(result.hashed, `${(result.hashed / MiB).toFixed(1)} MiB hashed`).toBeLessThanOrEqual(3 * (BIG + SMALL))
        expect(result.verdict).toMatchObject({ status: 'valid', code: null, keyId: ring.keys[2]!.id })
        expect(result.read, result.reads).toBeLessThanOrEqual(FIRST_BYTES)
      }
    })
  }

  it('within the body limit, the search stops at the delivery budget: a 3 MiB body and 12 other keys', async () => {
    const github = cases.find((c) => c.scheme === 'github')!
    const sender = github.secret()
    const body = Buffer.alloc(3 * MiB, 'x')
    const ring = keyring(github, sender, { candidates: 1, elsewhere: 12, senderIn: false })
    const result = await check(github, sender, body, ring, true, false)
    expect(result.hashed, `${(result.hashed / MiB).toFixed(1)} MiB hashed`).toBeLessThanOrEqual(body.length + NEAR_MISS_BUDGET_BYTES)
    expect(codes(result.verdict)).toEqual(['NEAR_MISS_SKIPPED'])
    expect(result.verdict.findings[0]!.message).toContain('other keys were not tried')
    expect(result.verdict.summary).toContain('near-miss search was cut short')
  })
})

describe('the near-miss search of a small delivery is as precise as ever', () => {
  const small = jsonOf(KiB)

  it('standard-webhooks: a body changed in transit (a trailing newline) is BODY_CHANGED', async () => {
    const c = cases[0]!
    const sender = c.secret()
    const ring = keyring(c, sender, { candidates: 3, elsewhere: 8, senderIn: true })
    const signed = c.sign(sender, small)
    const verdict = await verifyDelivery(
      makeRequest(signed.headers, Buffer.concat([small, Buffer.from('\n')])),
      { locked: false, keys: ring.keys },
      { schemes: allSchemes, now: NOW * 1000, checkedAt: 0 }
    )
    expect({ code: verdict.code, findings: codes(verdict), keyId: verdict.keyId }).toEqual({
      code: 'SIG_MISMATCH',
      findings: ['BODY_CHANGED'],
      keyId: ring.keys[2]!.id
    })
  })

  for (const c of cases.slice(1, 3)) {
    it(`${c.scheme}: signed with a key bound to another endpoint is OTHER_KEY, naming it`, async () => {
      const ring = keyring(c, c.secret(), { candidates: 3, elsewhere: 8, senderIn: false })
      const staging = ring.keys[5]!
      const signed = c.sign(staging.material.secret!, small)
      const verdict = await verifyDelivery(
        makeRequest(signed.headers, small),
        { locked: false, keys: ring.keys },
        { schemes: allSchemes, now: NOW * 1000, checkedAt: 0 }
      )
      expect({ code: verdict.code, findings: codes(verdict) }).toEqual({ code: 'SIG_MISMATCH', findings: ['OTHER_KEY'] })
      expect(verdict.findings[0]!.keyId).toBe(staging.id)
    })
  }

  it('twilio: a body changed after signing (a trailing newline) is BODY_CHANGED', async () => {
    const c = cases[3]!
    const sender = c.secret()
    const ring = keyring(c, sender, { candidates: 1, elsewhere: 8, senderIn: true })
    const signed = c.sign(sender, small)
    const request = makeRequest(signed.headers, Buffer.concat([small, Buffer.from('\n')]), { url: signed.url })
    const verdict = await verifyDelivery(request, { locked: false, keys: ring.keys }, { schemes: allSchemes, now: NOW * 1000, checkedAt: 0 })
    expect({ code: verdict.code, findings: codes(verdict) }).toEqual({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
  })
})

describe('public-key signatures', () => {
  const ed25519 = () => generateKeyPairSync('ed25519')
  const hexKey = (key: KeyObject) => Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url').toString('hex')
  const signed = (body: Buffer, privateKey: KeyObject) => ({
    'X-Signature-Ed25519': sign(null, Buffer.concat([Buffer.from(String(NOW)), body]), privateKey).toString('hex'),
    'X-Signature-Timestamp': String(NOW)
  })

  it('discord: a failing 10 MiB delivery verifies its content once per key and skips the search, saying so', async () => {
    const big = jsonOf(BIG)
    const keys = [
      ...[ed25519(), ed25519(), ed25519()].map((pair) => makeKey('discord', { publicKey: hexKey(pair.publicKey) })),
      ...[ed25519(), ed25519(), ed25519(), ed25519()].map((pair) => makeKey('discord', { publicKey: hexKey(pair.publicKey) }, { endpointIds: ['staging'] }))
    ]
    const request = makeRequest(signed(big, ed25519().privateKey), big)
    hashed.bytes = 0
    const verdict = await verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: NOW * 1000, checkedAt: 0, compact: true })
    expectSearchSkipped(verdict, 'SIG_MISMATCH', hashed.bytes, 3 * (BIG + SMALL), 'verified')
  })

  it('discord: signed over a 1 KiB body by a key bound elsewhere is OTHER_KEY', async () => {
    const small = jsonOf(KiB)
    const staging = ed25519()
    const keys = [
      makeKey('discord', { publicKey: hexKey(ed25519().publicKey) }),
      makeKey('discord', { publicKey: hexKey(staging.publicKey) }, { endpointIds: ['staging'] })
    ]
    const verdict = await verifyDelivery(
      makeRequest(signed(small, staging.privateKey), small),
      { locked: false, keys },
      { schemes: allSchemes, now: NOW * 1000, checkedAt: 0 }
    )
    expect({ code: verdict.code, findings: codes(verdict) }).toEqual({ code: 'SIG_MISMATCH', findings: ['OTHER_KEY'] })
  })
})

describe('JOSE bodies are read and searched within the limit', () => {
  const ec = () => generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString()
  const options = { header: 'X-Signature' }
  /** A detached JWS (RFC 7515 appendix F) over `body`, the body being the payload. */
  const detached = async (body: Buffer, privateKey: KeyObject) => {
    const signed = await new FlattenedSign(body).setProtectedHeader({ alg: 'ES256' }).sign(privateKey)
    return `${signed.protected}..${signed.signature}`
  }
  const verified = { bytes: 0 }
  const spyOnVerify = () => {
    const subtle = globalThis.crypto.subtle
    const verify = subtle.verify.bind(subtle)
    verified.bytes = 0
    return vi.spyOn(subtle, 'verify').mockImplementation((algorithm, key, signature, data) => {
      verified.bytes += (data as ArrayBufferView).byteLength
      return verify(algorithm, key, signature, data)
    })
  }
  afterEach(() => vi.restoreAllMocks())

  it('jws: a failing detached JWS over a 10 MiB body checks each key once and skips the search, saying so', async () => {
    const big = jsonOf(BIG)
    const sender = ec()
    const keys = [
      ...[ec(), ec(), ec()].map((pair) => makeKey('jws', { publicKey: pem(pair.publicKey) }, { options })),
      ...[ec(), ec(), ec(), ec()].map((pair) => makeKey('jws', { publicKey: pem(pair.publicKey) }, { options, endpointIds: ['staging'] }))
    ]
    const request = makeRequest({ 'Content-Type': 'application/json', 'X-Signature': await detached(tampered(big), sender.privateKey) }, big)
    spyOnVerify()
    const verdict = await verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: NOW * 1000, checkedAt: 0, compact: true })
    // Each check covers the signing input: the protected header, a dot, and the body base64url-encoded.
    const signingInput = Math.ceil((BIG * 4) / 3) + SMALL
    expectSearchSkipped(verdict, 'TOKEN_INVALID', verified.bytes, 3 * signingInput, 'verified')
  })

  it('jws: a detached JWS over a 1 KiB body changed after signing is still BODY_CHANGED', async () => {
    const small = jsonOf(KiB)
    const sender = ec()
    const keys = [makeKey('jws', { publicKey: pem(sender.publicKey) }, { options }), makeKey('jws', { publicKey: pem(ec().publicKey) }, { options })]
    const request = makeRequest(
      { 'Content-Type': 'application/json', 'X-Signature': await detached(small, sender.privateKey) },
      Buffer.concat([small, Buffer.from('\n')])
    )
    const verdict = await verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: NOW * 1000, checkedAt: 0 })
    expect({ code: verdict.code, findings: codes(verdict) }).toEqual({ code: 'TOKEN_INVALID', findings: ['BODY_CHANGED'] })
  })

  it('jws and jwe: a 10 MiB body is not read as a compact token, and the verdict says it is too large', async () => {
    const token = Buffer.concat([Buffer.from('eyJhbGciOiJFUzI1NiJ9.'), Buffer.alloc(BIG, 'a'), Buffer.from('.c2ln')])
    // Bound to the endpoint: they apply whatever detection says (it does not look inside a body this large).
    const bound = { endpointIds: ['default'] }
    for (const key of [makeKey('jws', { publicKey: pem(ec().publicKey) }, bound), makeKey('jwe', { privateKey: 'unused' }, bound)]) {
      const { body, tally } = countingBody(token)
      const request = makeRequest({ 'Content-Type': 'application/jose' }, body)
      const verdict = await verifyDelivery(request, { locked: false, keys: [key] }, { schemes: allSchemes, now: NOW * 1000, checkedAt: 0, compact: true })
      expect(verdict, key.scheme).toMatchObject({ status: 'invalid', scheme: key.scheme })
      expect(verdict.summary).toContain('The body (10.0 MiB) is over the 4.0 MiB Hookscope reads')
      expect(tally.bytes, describeReads(tally)).toBeLessThanOrEqual(FIRST_BYTES)
    }
  })

  it('a body of 10 MiB of whitespace is not scanned for a token', async () => {
    const { body, tally } = countingBody(Buffer.alloc(BIG, ' '))
    const keys = [makeKey('jws', { publicKey: pem(ec().publicKey) }, { endpointIds: ['default'] })]
    const verdict = await verifyDelivery(makeRequest({}, body), { locked: false, keys }, { schemes: allSchemes, now: NOW * 1000, checkedAt: 0, compact: true })
    expect(verdict.scheme).toBe('jws')
    expect(tally.bytes, describeReads(tally)).toBeLessThanOrEqual(FIRST_BYTES)
  })
})

describe('twilio tells JSON from a form by the first bytes', () => {
  it('a 10 MiB JSON body without a Content-Type is not turned into text to find its first character', async () => {
    const token = plain()
    const url = 'https://hooks.example.test/twilio/voice'
    const { body, tally } = countingBody(Buffer.concat([Buffer.from('  '), jsonOf(BIG)]))
    const request = makeRequest({ 'X-Twilio-Signature': createHmac('sha1', plain()).update(url).digest('base64') }, body, { url })
    const verdict = await verifyDelivery(
      request,
      { locked: false, keys: [makeKey('twilio', { secret: token })] },
      { schemes: allSchemes, now: NOW * 1000, checkedAt: 0, compact: true }
    )
    // JSON without bodySHA256: Twilio signs the URL alone, so the body is never part of the check.
    expect(verdict).toMatchObject({ status: 'invalid', code: 'SIG_MISMATCH' })
    expect(verdict.steps[0]!.detail).toContain('URL only')
    expect(codes(verdict)).not.toContain('NEAR_MISS_SKIPPED')
    // Its first bytes once per check: a failed one is checked again with the URL's port toggled.
    expect(tally.bytes, describeReads(tally)).toBeLessThanOrEqual(2 * FIRST_BYTES)
  })
})

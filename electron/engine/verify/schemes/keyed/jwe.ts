import type { KeyObject } from 'node:crypto'
import { compactDecrypt } from 'jose'
import { z } from 'zod'
import { formatSize } from '../../../../../shared/lib/byte-size'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictStep } from '../../../../../shared/model/verdict'
import { mayInspectBody } from '../../detectable-body'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import { MAX_VERIFY_BODY_BYTES } from '../../json-body'
import { optionsReader } from '../../options-reader'
import { describeKey } from '../../primitives/keys/key-kind'
import { parsePrivateKey } from '../../primitives/keys/parse-private-key'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { header, type VerifyRequest } from '../../verify-request'
import { mayBeCompactJose, type ProtectedHeader, parseCompactJweHeader, stripBearer } from './jose-common'
import { otherKeyFinding } from './signature-core'

/**
 * A compact JWE (RFC 7516) in the body or a header, decrypted with the key's private key (PEM
 * PKCS#8 or a private JWK) through jose. Only key-management algorithms that use a private key are
 * possible (RSA-OAEP*, ECDH-ES*); the allowed lists can be narrowed per key. On failure, the other
 * JWE keys in the keyring are tried to say which one would decrypt.
 */
const ID = 'jwe'
const KEY_MANAGEMENT = ['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW'] as const
const CONTENT = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512'] as const

export const options = optionsReader(
  z.object({
    header: z.string().min(1).max(128).optional(),
    keyManagementAlgorithms: z.array(z.enum(KEY_MANAGEMENT)).min(1).optional(),
    contentEncryptionAlgorithms: z.array(z.enum(CONTENT)).min(1).optional()
  })
)
type Options = ReturnType<typeof options.read>

/**
 * Where the JWE is. `detect`: the body is read only as detection may (detectable-body.ts: by its
 * Content-Type and size); `verify`: a key of this scheme applies, so the body is read whatever it is.
 */
function locate(
  request: VerifyRequest,
  o: Options,
  purpose: 'detect' | 'verify'
): { text: string; header: ProtectedHeader; source: string } | { code: 'SIG_HEADER_MISSING' | 'PAYLOAD_MALFORMED'; summary: string } {
  if (o.header) {
    const value = header(request, o.header)
    if (value === undefined) return { code: 'SIG_HEADER_MISSING', summary: `Missing header: ${o.header}.` }
    const text = stripBearer(value)
    const protectedHeader = parseCompactJweHeader(text)
    return protectedHeader
      ? { text, header: protectedHeader, source: `header ${o.header}` }
      : { code: 'PAYLOAD_MALFORMED', summary: `${o.header} does not hold a compact JWE.` }
  }
  // A key of the scheme applies: the body is read whatever its type, up to the size verification reads.
  if (purpose === 'verify' && request.body.length > MAX_VERIFY_BODY_BYTES) {
    return {
      code: 'PAYLOAD_MALFORMED',
      summary: `The body (${formatSize(request.body.length)}) is over the ${formatSize(MAX_VERIFY_BODY_BYTES)} Hookscope reads as a compact JWE.`
    }
  }
  const joseBody = purpose === 'verify' || mayInspectBody(request, 'jose')
  const text = joseBody && mayBeCompactJose(request.body) ? request.body.toString('utf8').trim() : ''
  const protectedHeader = text ? parseCompactJweHeader(text) : null
  return protectedHeader
    ? { text, header: protectedHeader, source: 'body' }
    : { code: 'PAYLOAD_MALFORMED', summary: 'The body is not a compact JWE (five base64url parts).' }
}

async function decryptWith(text: string, key: KeyObject, o: Options): Promise<{ plaintext: Uint8Array; protectedHeader: ProtectedHeader } | null> {
  try {
    const result = await compactDecrypt(text, key, {
      keyManagementAlgorithms: o.keyManagementAlgorithms ?? [...KEY_MANAGEMENT],
      contentEncryptionAlgorithms: o.contentEncryptionAlgorithms ?? [...CONTENT]
    })
    return { plaintext: result.plaintext, protectedHeader: result.protectedHeader as ProtectedHeader }
  } catch {
    return null
  }
}

function describe(header: ProtectedHeader): string {
  const cut = (value: unknown) => String(value).slice(0, 40)
  return [`alg ${cut(header.alg)}`, `enc ${cut(header.enc)}`, header.kid !== undefined ? `kid ${cut(header.kid)}` : null].filter(Boolean).join(', ')
}

async function verifyJwe(request: VerifyRequest, key: KeyEntry, context: SchemeContext): Promise<SchemeOutcome> {
  const o = options.read(key.options)
  const located = locate(request, o, 'verify')
  if ('code' in located) return failed(located.code, located.summary)
  const steps: VerdictStep[] = [{ label: 'JWE', ok: true, detail: `${located.source}: ${describe(located.header)}` }]
  const token = { protectedHeader: located.header }
  const kid = typeof located.header.kid === 'string' ? located.header.kid : undefined
  if (kid !== undefined && key.keyId && kid !== key.keyId) {
    return failed('UNKNOWN_KEY_ID', `The JWE names kid ${kid.slice(0, 64)}, not key "${key.name}" (key id ${key.keyId}).`, steps, { token })
  }
  const parsed = parsePrivateKey(key.material.privateKey)
  if (!parsed.ok) return failed('KEY_UNUSABLE', `Key "${key.name}" cannot be used: ${parsed.error}.`, steps, { token })
  steps.push({ label: 'Key', ok: true, detail: `${describeKey(parsed.key)} private key (${parsed.format})` })

  const result = await decryptWith(located.text, parsed.key, o)
  if (result) {
    steps.push({ label: 'Decrypt', ok: true, detail: `${result.plaintext.length} bytes` })
    return {
      ok: true,
      code: null,
      summary: `JWE decrypted with key "${key.name}" (${describe(result.protectedHeader)}): ${result.plaintext.length} bytes.`,
      steps,
      findings: [],
      decrypted: { bodyBase64: Buffer.from(result.plaintext).toString('base64'), keyId: kid ?? key.keyId, keyStatus: key.status },
      token: { protectedHeader: result.protectedHeader }
    }
  }
  steps.push({ label: 'Decrypt', ok: false, detail: 'the key does not unwrap the content key, or the tag does not verify' })
  const findings: Finding[] = []
  const search = nearMissSearch(request, context)
  const others = context.otherKeys
    .slice(0, 50)
    .filter((other) => other.id !== key.id && other.scheme === ID && other.material.privateKey)
    .map((other) => ({ other, parsed: parsePrivateKey(other.material.privateKey) }))
  const trials = others.filter(({ parsed }) => parsed.ok).length
  // Each trial decrypts the whole token: they run only as the near-miss search allows.
  if (search.allows('other keys', trials, located.text.length)) {
    for (const { other, parsed } of others) {
      if (parsed.ok && (await decryptWith(located.text, parsed.key, options.read(other.options)))) {
        findings.push(otherKeyFinding(other, 'The JWE decrypts with another key'))
      }
    }
  }
  findings.push(...search.findings())
  const lead = findings.find(isNearMiss)
  const skipped = search.skippedClause()
  const allowed =
    (o.keyManagementAlgorithms ?? KEY_MANAGEMENT).includes(located.header.alg as never) &&
    (o.contentEncryptionAlgorithms ?? CONTENT).includes(located.header.enc as never)
  const why = allowed ? '' : ` (${describe(located.header)} is not among the algorithms this key allows)`
  return failed(
    'DECRYPT_FAILED',
    `The JWE (${describe(located.header)}) does not decrypt with key "${key.name}"${why}${lead ? `. ${lead.message}` : skipped ? `; ${skipped}.` : '.'}`,
    steps,
    { findings, token }
  )
}

export const jwe: Scheme = {
  id: ID,
  label: 'JWE (encrypted token)',
  needs: ['privateKey'],
  detect: (request, raw = {}) => {
    const located = locate(request, options.read(raw), 'detect')
    return 'code' in located ? 0 : located.source === 'body' ? 0.8 : 0.9
  },
  verify: verifyJwe,
  checkKey: (key) => {
    const problem = options.check(key.options)
    if (problem) return problem
    if (!key.material.privateKey) return 'a JWE key needs a private key (PEM PKCS#8 or a private JWK)'
    const parsed = parsePrivateKey(key.material.privateKey)
    return parsed.ok ? null : parsed.error
  }
}

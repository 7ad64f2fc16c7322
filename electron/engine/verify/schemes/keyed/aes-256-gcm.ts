import { z } from 'zod'
import { type KeyEntry, WHK_KEY_ID } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictStep } from '../../../../../shared/model/verdict'
import { detectableJsonObject } from '../../detectable-body'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import { jsonObjectBody } from '../../json-body'
import { optionsReader } from '../../options-reader'
import { AES_KEY_ENCODING_LABEL, alternativeAesKeys, decodeAesKey } from '../../primitives/keys/aes-key'
import { BINARY_ENCODINGS, type BinaryEncoding, decodeBinary } from '../../primitives/keys/binary-text'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import type { VerifyRequest } from '../../verify-request'
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, gcmOpen } from './gcm'
import { otherKeyFinding } from './signature-core'

/**
 * Encrypted-payload envelope: a JSON body carrying an AES-256-GCM ciphertext and the id of the key
 * that sealed it (`whk_YYYYMMDD_NN`). Field names are key options. The envelope's key id picks
 * the keyring entry; every other entry answers UNKNOWN_KEY_ID, so the orchestrator ends on the
 * named one. The secret is the AES key as base64 (32 bytes) or 64 hex characters.
 */
export const AES_GCM_SCHEME_ID = 'aes-256-gcm'

const field = z.string().min(1).max(128)
const schema = z.object({
  /** null: the envelope carries no key id (then the key's keyId is optional). */
  keyIdField: field.nullable().default('keyId'),
  nonceField: field.default('nonce'),
  ciphertextField: field.default('ciphertext'),
  /** null, or absent from an envelope: the tag is the last 16 bytes of the ciphertext. */
  tagField: field.nullable().default('tag'),
  aadField: field.nullable().default('aad'),
  /** How nonce, ciphertext and tag are written. */
  encoding: z.enum(['base64', 'base64url', 'hex']).default('base64'),
  aadEncoding: z.enum(['utf8', 'base64']).default('utf8'),
  keyEncoding: z.enum(['auto', 'base64', 'hex', 'utf8']).default('auto')
})
type Options = z.infer<typeof schema>
export const options = optionsReader(schema)

interface Envelope {
  keyId?: string
  nonce: string
  ciphertext: string
  tag?: string
  aad?: string
}

type EnvelopeRead = { ok: true; envelope: Envelope } | { ok: false; summary: string }

const MAX_OTHER_KEYS = 200

function at(value: unknown, path: string): unknown {
  let current = value
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

export function readEnvelope(body: Buffer, o: Options): EnvelopeRead {
  const json = jsonObjectBody(body)
  if (!json) return { ok: false, summary: 'The body is not a JSON object, so it is not an encrypted envelope.' }
  const text = (path: string | null, required: boolean): string | undefined | false => {
    if (path === null) return undefined
    const value = at(json, path)
    if (value === undefined) return required ? false : undefined
    return typeof value === 'string' ? value : false
  }
  const problems: string[] = []
  const get = (path: string | null, required: boolean) => {
    const value = text(path, required)
    if (value === false) problems.push(`"${path}"`)
    return value === false ? undefined : value
  }
  const envelope = {
    keyId: get(o.keyIdField, true),
    nonce: get(o.nonceField, true),
    ciphertext: get(o.ciphertextField, true),
    tag: get(o.tagField, false),
    aad: get(o.aadField, false)
  }
  if (problems.length > 0) return { ok: false, summary: `The envelope has no string field ${problems.join(', ')} (field names are key options).` }
  return { ok: true, envelope: envelope as Envelope }
}

type Decoded = { ok: true; nonce: Buffer; ciphertext: Buffer; tag: Buffer; aad?: Buffer } | { ok: false; problem: string }

function decodeEnvelope(envelope: Envelope, encoding: BinaryEncoding, o: Options): Decoded {
  const nonce = decodeBinary(envelope.nonce, encoding)
  if (!nonce) return { ok: false, problem: `the nonce is not ${encoding}` }
  if (nonce.length !== GCM_NONCE_BYTES)
    return { ok: false, problem: `the nonce is ${nonce.length} bytes as ${encoding}; AES-GCM envelopes use ${GCM_NONCE_BYTES}` }
  let ciphertext = decodeBinary(envelope.ciphertext, encoding)
  if (!ciphertext) return { ok: false, problem: `the ciphertext is not ${encoding}` }
  let tag: Buffer | null
  if (envelope.tag !== undefined) {
    tag = decodeBinary(envelope.tag, encoding)
    if (!tag) return { ok: false, problem: `the tag is not ${encoding}` }
    if (tag.length !== GCM_TAG_BYTES) return { ok: false, problem: `the tag is ${tag.length} bytes; a full ${GCM_TAG_BYTES}-byte tag is required` }
  } else {
    if (ciphertext.length < GCM_TAG_BYTES) return { ok: false, problem: `the ciphertext is shorter than the ${GCM_TAG_BYTES}-byte tag appended to it` }
    tag = ciphertext.subarray(ciphertext.length - GCM_TAG_BYTES)
    ciphertext = ciphertext.subarray(0, ciphertext.length - GCM_TAG_BYTES)
  }
  let aad: Buffer | undefined
  if (envelope.aad !== undefined) {
    const bytes = o.aadEncoding === 'utf8' ? Buffer.from(envelope.aad, 'utf8') : decodeBinary(envelope.aad, 'base64')
    if (!bytes) return { ok: false, problem: 'the aad is not base64' }
    aad = bytes
  }
  return { ok: true, nonce, ciphertext, tag, aad }
}

export function open(keyBytes: Buffer, envelope: Envelope, encoding: BinaryEncoding, o: Options): Buffer | null {
  const decoded = decodeEnvelope(envelope, encoding, o)
  return decoded.ok ? gcmOpen(keyBytes, decoded.nonce, decoded.ciphertext, decoded.tag, decoded.aad) : null
}

/** `whk_YYYYMMDD_NN` with a real calendar date. */
export function validWhkKeyId(id: string): boolean {
  const match = WHK_KEY_ID.exec(id)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

function shown(id: string): string {
  return id.length > 64 ? `${id.slice(0, 64)}…` : id
}

export function keyBytesOf(key: Pick<KeyEntry, 'material' | 'options'>) {
  const secret = key.material.secret
  return secret ? decodeAesKey(secret, options.read(key.options).keyEncoding) : null
}

function verifyEnvelope(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const o = options.read(key.options)
  const steps: VerdictStep[] = []
  const read = readEnvelope(request.body, o)
  if (!read.ok) return failed('PAYLOAD_MALFORMED', read.summary, [{ label: 'Envelope', ok: false, detail: read.summary }])
  const envelope = read.envelope
  steps.push({
    label: 'Envelope',
    ok: true,
    detail: `JSON with ${[o.keyIdField, o.nonceField, o.ciphertextField, envelope.tag !== undefined ? o.tagField : null, envelope.aad !== undefined ? o.aadField : null].filter(Boolean).join(', ')}${envelope.tag === undefined ? ' (tag appended to the ciphertext)' : ''}`
  })

  if (envelope.keyId !== undefined && envelope.keyId !== key.keyId) {
    const holder = context.otherKeys.find((other) => other.scheme === AES_GCM_SCHEME_ID && other.keyId === envelope.keyId)
    const format = validWhkKeyId(envelope.keyId) ? '' : ' (not a whk_YYYYMMDD_NN id)'
    const summary = holder
      ? `The envelope names ${shown(envelope.keyId)}, which is key "${holder.name}" (${holder.status}), not key "${key.name}" (${key.keyId ?? 'no key id'}).`
      : `The envelope names ${shown(envelope.keyId)}${format}, which is not in the keyring.`
    steps.push({ label: 'Key id', ok: false, detail: `envelope names ${shown(envelope.keyId)}; this key is ${key.keyId ?? 'unnamed'}` })
    return failed('UNKNOWN_KEY_ID', summary, steps)
  }
  if (envelope.keyId !== undefined) steps.push({ label: 'Key id', ok: true, detail: `${envelope.keyId} is key "${key.name}" (${key.status})` })

  const aesKey = keyBytesOf(key)
  if (!aesKey) {
    steps.push({ label: 'Key', ok: false, detail: 'not a 32-byte AES key' })
    return failed(
      'KEY_UNUSABLE',
      `The secret of key "${key.name}" is not a 32-byte AES key as ${o.keyEncoding === 'auto' ? 'base64 or hex' : o.keyEncoding}.`,
      steps
    )
  }
  steps.push({ label: 'Key', ok: true, detail: `AES-256, secret read as ${AES_KEY_ENCODING_LABEL[aesKey.encoding]}` })

  const decoded = decodeEnvelope(envelope, o.encoding, o)
  if (!decoded.ok) {
    steps.push({ label: 'Decode', ok: false, detail: decoded.problem })
    const findings = diagnose(request, key, envelope, aesKey.bytes, o, context)
    const lead = findings.find(isNearMiss)
    return failed('PAYLOAD_MALFORMED', `The envelope is malformed: ${decoded.problem}.${lead ? ` ${lead.message}` : ''}`, steps, { findings })
  }
  steps.push({
    label: 'Decode',
    ok: true,
    detail: `nonce ${decoded.nonce.length} bytes, ciphertext ${decoded.ciphertext.length} bytes, tag ${decoded.tag.length} bytes${decoded.aad ? `, aad ${decoded.aad.length} bytes` : ''}`
  })

  const plaintext = gcmOpen(aesKey.bytes, decoded.nonce, decoded.ciphertext, decoded.tag, decoded.aad)
  if (plaintext) {
    steps.push({ label: 'AES-256-GCM', ok: true, detail: `tag verifies; ${plaintext.length} bytes of plaintext` })
    return {
      ok: true,
      code: null,
      summary: `Decrypted with key "${key.name}"${key.keyId ? ` (${key.keyId})` : ''}: ${plaintext.length} bytes.`,
      steps,
      findings: [],
      decrypted: { bodyBase64: plaintext.toString('base64'), keyId: envelope.keyId ?? key.keyId, keyStatus: key.status }
    }
  }
  steps.push({ label: 'AES-256-GCM', ok: false, detail: 'the authentication tag does not verify' })
  const findings = diagnose(request, key, envelope, aesKey.bytes, o, context)
  const lead = findings.find(isNearMiss)
  const skipped = findings.length > 0 && !lead
  return failed(
    'DECRYPT_FAILED',
    lead
      ? `Decryption failed: the authentication tag does not verify with key "${key.name}". ${lead.message}`
      : skipped
        ? `Decryption failed: the authentication tag does not verify with key "${key.name}"; the near-miss search was cut short, the envelope being too large for all of it.`
        : `Decryption failed: the authentication tag does not verify with key "${key.name}", and no other key or reading explains it (wrong key, or the envelope was changed).`,
    steps,
    { findings }
  )
}

/**
 * Other keys, other readings of the secret, other encodings of the envelope: each trial decodes
 * and decrypts the whole ciphertext, so they run as the near-miss search allows (the envelope is
 * read from a JSON body, within MAX_VERIFY_BODY_BYTES; its trials are bounded by the budget).
 */
function diagnose(request: VerifyRequest, key: KeyEntry, envelope: Envelope, keyBytes: Buffer, o: Options, context: SchemeContext): Finding[] {
  const findings: Finding[] = []
  const search = nearMissSearch(request, context)
  const size = envelope.ciphertext.length
  const named = envelope.keyId !== undefined ? ` (the envelope names ${shown(envelope.keyId)})` : ''
  const others = context.otherKeys
    .slice(0, MAX_OTHER_KEYS)
    .filter((other) => other.id !== key.id && other.scheme === AES_GCM_SCHEME_ID)
    .map((other) => ({ other, bytes: keyBytesOf(other) }))
  if (search.allows('other keys', others.filter(({ bytes }) => bytes).length, size)) {
    for (const { other, bytes } of others) {
      if (bytes && open(bytes.bytes, envelope, o.encoding, o)) findings.push(otherKeyFinding(other, `The envelope decrypts with another key${named}`))
    }
  }
  const secret = key.material.secret ?? ''
  const used = decodeAesKey(secret, o.keyEncoding)
  const alternatives = alternativeAesKeys(secret, keyBytes)
  if (search.allows('other readings of the secret', alternatives.length, size)) {
    for (const alternative of alternatives) {
      if (open(alternative.bytes, envelope, o.encoding, o)) {
        const setting =
          alternative.encoding === 'sha256' ? 'the sender derives the key by hashing the secret' : `set the key option keyEncoding to "${alternative.encoding}"`
        findings.push({
          code: 'SECRET_DECODING',
          message: `The envelope decrypts if the secret is read as ${AES_KEY_ENCODING_LABEL[alternative.encoding]}, not as ${used ? AES_KEY_ENCODING_LABEL[used.encoding] : o.keyEncoding} (${setting}).`
        })
        break
      }
    }
  }
  const encodings = BINARY_ENCODINGS.filter((encoding) => encoding !== o.encoding)
  if (search.allows('other encodings of the envelope', encodings.length, size)) {
    for (const encoding of encodings) {
      if (open(keyBytes, envelope, encoding, o)) {
        findings.push({
          code: 'PAYLOAD_ENCODING',
          message: `The envelope decrypts if nonce, ciphertext and tag are read as ${encoding}, not ${o.encoding} (key option encoding).`
        })
        break
      }
    }
  }
  return [...findings, ...search.findings()]
}

export const aes256Gcm: Scheme = {
  id: AES_GCM_SCHEME_ID,
  label: 'AES-256-GCM encrypted envelope',
  needs: ['secret'],
  detect: (request, raw = {}) => {
    const o = options.read(raw)
    const json = detectableJsonObject(request)
    if (!json || typeof at(json, o.nonceField) !== 'string' || typeof at(json, o.ciphertextField) !== 'string') return 0
    return o.keyIdField && typeof at(json, o.keyIdField) === 'string' ? 0.9 : 0.7
  },
  verify: verifyEnvelope,
  checkKey: (key) => {
    const problem = options.check(key.options)
    if (problem) return problem
    const o = options.read(key.options)
    if (!key.material.secret) return 'an AES-256-GCM key needs a secret (the AES key)'
    if (!decodeAesKey(key.material.secret, o.keyEncoding)) {
      return o.keyEncoding === 'auto'
        ? 'the secret must be a 32-byte AES key, as base64 (44 characters) or hex (64 characters)'
        : `the secret is not a 32-byte AES key as ${o.keyEncoding}`
    }
    if (o.keyIdField !== null) {
      if (!key.keyId) return 'an AES-256-GCM key needs a key id (whk_YYYYMMDD_NN), the id envelopes name'
      if (!validWhkKeyId(key.keyId)) return 'the key id must look like whk_YYYYMMDD_NN with a real date (e.g. whk_20251021_01)'
    } else if (key.keyId && !validWhkKeyId(key.keyId)) {
      return 'the key id must look like whk_YYYYMMDD_NN with a real date (e.g. whk_20251021_01)'
    }
    return null
  }
}

import { isUtf8 } from 'node:buffer'
import { createDecipheriv, createHash } from 'node:crypto'
import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { type Finding, isNearMiss, type VerdictStep } from '../../../../../shared/model/verdict'
import { detectableJsonObject } from '../../detectable-body'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import { previewSignedContent } from '../../hmac/signed-content-preview'
import { jsonObjectBody } from '../../json-body'
import { optionsReader } from '../../options-reader'
import { decodeBinary } from '../../primitives/keys/binary-text'
import { matchEncoding } from '../../primitives/signature-encoding'
import { checkTimestamp, parseUnixSeconds } from '../../primitives/timestamp-window'
import { signaturesEqual } from '../../primitives/timing-safe-equal'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { otherKeyFinding } from './signature-core'

/**
 * Feishu / Lark event callbacks with an Encrypt Key. The body is `{"encrypt":"<base64>"}`:
 * AES-256-CBC with key = SHA-256(Encrypt Key), IV = the first 16 bytes of the decoded data,
 * PKCS#7 padding. X-Lark-Signature, when sent, is hex SHA-256 of timestamp + nonce + Encrypt Key +
 * body (X-Lark-Request-Timestamp, X-Lark-Request-Nonce). CBC has no integrity of its own: without
 * the signature the step says the payload is unauthenticated, and a plaintext that is not JSON
 * (the documentation's own example decrypts to "hello world") is shown with a note, unless another
 * key decrypts it to JSON.
 */
const ID = 'feishu'
const H = { signature: 'X-Lark-Signature', timestamp: 'X-Lark-Request-Timestamp', nonce: 'X-Lark-Request-Nonce' } as const
const MAX_OTHER_KEYS = 200

export const options = optionsReader(
  z.object({
    /** Refuse deliveries without X-Lark-Signature. */
    requireSignature: z.boolean().default(false),
    toleranceSeconds: z.number().int().min(1).max(31_536_000).optional()
  })
)

/** The `encrypt` field of the body as a JSON object (null when it is not a string; undefined: no such object or field). */
function encryptedField(json: Record<string, unknown> | undefined): string | null | undefined {
  if (!json || !('encrypt' in json)) return undefined
  return typeof json.encrypt === 'string' ? json.encrypt : null
}

export function signatureOf(encryptKey: string, timestamp: string, nonce: string, body: Buffer): string {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(timestamp + nonce + encryptKey, 'utf8'), body]))
    .digest('hex')
}

/** Plaintext, or null when the data is not a whole number of blocks or the padding is wrong. */
export function feishuDecrypt(encryptKey: string, encrypted: string): Buffer | null {
  const data = decodeBinary(encrypted, 'base64')
  if (!data || data.length < 32 || data.length % 16 !== 0) return null
  try {
    const key = createHash('sha256').update(encryptKey, 'utf8').digest()
    const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16))
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()])
  } catch {
    return null
  }
}

function isJson(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false
  try {
    JSON.parse(bytes.toString('utf8'))
    return true
  } catch {
    return false
  }
}

function verifyFeishu(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const o = options.read(key.options)
  const encryptKey = key.material.secret
  if (!encryptKey) return failed('KEY_UNUSABLE', `Key "${key.name}" has no Encrypt Key (secret).`)
  const steps: VerdictStep[] = []
  const others = context.otherKeys.slice(0, MAX_OTHER_KEYS).filter((other) => other.id !== key.id && other.scheme === ID && other.material.secret)
  let extras: Partial<SchemeOutcome> = {}

  const received = header(request, H.signature)?.trim()
  if (received === undefined) {
    if (o.requireSignature) return failed('SIG_HEADER_MISSING', `Missing header: ${H.signature} (key "${key.name}" requires it).`)
    steps.push({ label: 'Signature', ok: true, detail: `no ${H.signature}: the payload is not authenticated (AES-CBC has no integrity check)` })
  } else {
    const missing = [H.timestamp, H.nonce].filter((name) => !hasHeader(request, name))
    if (missing.length > 0) return failed('SIG_HEADER_MISSING', `Missing header${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`)
    const timestampRaw = header(request, H.timestamp)!
    const nonce = header(request, H.nonce)!
    const expected = signatureOf(encryptKey, timestampRaw, nonce, request.body)
    const matched = signaturesEqual(received, expected)
    const content = Buffer.concat([Buffer.from(`${timestampRaw}${nonce}<Encrypt Key>`, 'utf8'), request.body])
    extras = { signedContent: previewSignedContent(content), expected, received: [received] }
    steps.push({ label: 'Signature', ok: matched, detail: matched ? 'SHA-256 of timestamp + nonce + Encrypt Key + body matches' : 'does not match' })
    const seconds = parseUnixSeconds(timestampRaw)
    if (o.toleranceSeconds && seconds) {
      const check = checkTimestamp(seconds.seconds, context.now, { toleranceSeconds: o.toleranceSeconds, direction: 'both' })
      extras.timestamp = { value: seconds.seconds, skewSeconds: check.skewSeconds, toleranceSeconds: o.toleranceSeconds, direction: 'both' }
      steps.push({ label: 'Timestamp', ok: check.ok, detail: check.detail })
      if (matched && !check.ok && check.code) {
        return failed(
          check.code,
          `The signature is right, but the timestamp is ${check.code === 'TIMESTAMP_STALE' ? 'too old' : 'in the future'}: ${check.detail}.`,
          steps,
          extras
        )
      }
    }
    if (!matched) {
      const findings: Finding[] = []
      const encoding = matchEncoding(received, Buffer.from(expected, 'hex'))
      if (encoding && (encoding.encoding !== 'hex' || encoding.note)) {
        findings.push({
          code: 'SIGNATURE_ENCODING',
          message: `The signature is right, but written as ${encoding.note ?? encoding.encoding}; Feishu sends lower-case hex.`
        })
      }
      const search = nearMissSearch(request, context)
      for (const variant of search.bodyVariants(content.length)) {
        if (signaturesEqual(received, signatureOf(encryptKey, timestampRaw, nonce, variant.body))) {
          findings.push({ code: 'BODY_CHANGED', message: `The signature matches the body ${variant.label}: the body changed between signing and delivery.` })
          break
        }
      }
      if (search.allows('other keys', others.length, content.length)) {
        for (const other of others) {
          if (signaturesEqual(received, signatureOf(other.material.secret!, timestampRaw, nonce, request.body))) {
            findings.push(otherKeyFinding(other, 'The signature matches the Encrypt Key of another key'))
          }
        }
      }
      findings.push(...search.findings())
      const lead = findings.find(isNearMiss)
      const skipped = search.skippedClause()
      const mismatch = `Signature mismatch: ${H.signature} does not match the Encrypt Key of key "${key.name}"`
      return failed('SIG_MISMATCH', lead ? `Signature mismatch. ${lead.message}` : `${mismatch}${skipped ? `; ${skipped}` : ''}.`, steps, {
        ...extras,
        findings
      })
    }
  }

  if (!isJson(request.body)) {
    // Feishu always sends JSON. SHA-256(timestamp + nonce + key + body) is open to length
    // extension (body + padding + more verifies without the key), so a signed non-JSON body is
    // refused rather than called valid.
    steps.push({ label: 'Payload', ok: false, detail: 'not JSON' })
    return failed(
      'PAYLOAD_MALFORMED',
      'The body is not JSON; Feishu always sends JSON (a signed non-JSON body may be a length-extension forgery).',
      steps,
      extras
    )
  }
  const encrypted = encryptedField(jsonObjectBody(request.body))
  if (encrypted === undefined) {
    if (received === undefined) return failed('PAYLOAD_MALFORMED', 'The body has no "encrypt" field and there is no X-Lark-Signature: nothing to check.', steps)
    steps.push({ label: 'Payload', ok: true, detail: 'not encrypted (no "encrypt" field)' })
    return { ok: true, code: null, summary: `Signature matches key "${key.name}".`, steps, findings: [], ...extras }
  }
  if (encrypted === null) return failed('PAYLOAD_MALFORMED', 'The "encrypt" field is not a string.', steps, extras)
  const plaintext = feishuDecrypt(encryptKey, encrypted)
  const authenticated = received !== undefined
  const othersDecryptingToJson = () =>
    others
      .filter((other) => {
        const bytes = feishuDecrypt(other.material.secret!, encrypted)
        return bytes !== null && isJson(bytes)
      })
      .map((other) => otherKeyFinding(other, 'The payload decrypts with the Encrypt Key of another key'))
  const json = plaintext !== null && isJson(plaintext)
  // A wrong key still gives valid PKCS#7 padding about once in 256 tries: when this key's plaintext
  // is not JSON and another key's is, the other key is the better explanation.
  const betterKeys = plaintext && !json && !authenticated ? othersDecryptingToJson() : []
  if (plaintext && betterKeys.length === 0) {
    const text = isUtf8(plaintext)
    const note = json
      ? ''
      : text
        ? " The plaintext is not JSON (Feishu events are JSON; the documentation's own example decrypts to plain text)."
        : ' The plaintext is neither JSON nor UTF-8 text: if an event was expected, the Encrypt Key is probably wrong (a wrong key still gives valid padding about once in 256 tries).'
    steps.push({
      label: 'AES-256-CBC',
      ok: true,
      detail: `${plaintext.length} bytes${json ? ' of JSON' : text ? ' of text, not JSON' : ', neither JSON nor text'}`
    })
    const lead = authenticated
      ? `Signature matches and the payload decrypts with key "${key.name}".`
      : `Decrypted with key "${key.name}" (no ${H.signature}, so the payload is not authenticated).`
    return {
      ok: true,
      code: null,
      summary: lead + note,
      steps,
      findings: [],
      ...extras,
      decrypted: { bodyBase64: plaintext.toString('base64'), keyId: key.keyId, keyStatus: key.status }
    }
  }
  const problem = plaintext
    ? 'decrypts to bytes that are not JSON'
    : decodeBinary(encrypted, 'base64')
      ? 'has bad padding after decryption'
      : 'is not base64 of IV + ciphertext'
  steps.push({ label: 'AES-256-CBC', ok: false, detail: problem })
  const findings = plaintext ? betterKeys : othersDecryptingToJson()
  return failed(
    'DECRYPT_FAILED',
    `Decryption failed: "encrypt" ${problem} with the Encrypt Key of key "${key.name}"${findings[0] ? `. ${findings[0].message}` : ' (wrong Encrypt Key?).'}`,
    steps,
    { ...extras, findings }
  )
}

export const feishu: Scheme = {
  id: ID,
  label: 'Feishu / Lark (encrypted events)',
  needs: ['secret'],
  detect: (request) => {
    const encrypted = encryptedField(detectableJsonObject(request))
    if (hasHeader(request, H.signature)) return encrypted !== undefined ? 1 : 0.6
    return typeof encrypted === 'string' ? 0.8 : 0
  },
  verify: verifyFeishu,
  checkKey: (key) => options.check(key.options) ?? (key.material.secret ? null : 'a Feishu key needs the Encrypt Key as its secret')
}

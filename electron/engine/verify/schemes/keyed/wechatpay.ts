import type { KeyObject } from 'node:crypto'
import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import type { VerdictStep } from '../../../../../shared/model/verdict'
import { nearMissSearch } from '../../diagnostics/near-miss-search'
import { jsonObjectBody } from '../../json-body'
import { optionsReader } from '../../options-reader'
import { decodeBinary } from '../../primitives/keys/binary-text'
import { checkValidAt, normalizeSerial, parseCertificates } from '../../primitives/keys/certificates'
import { expectKind } from '../../primitives/keys/key-kind'
import { parsePublicKey } from '../../primitives/keys/parse-public-key'
import { parseUnixSeconds } from '../../primitives/timestamp-window'
import type { SchemeContext, SchemeOutcome } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'
import { GCM_TAG_BYTES, gcmOpen } from './gcm'
import { createSignatureScheme, type Failure, missingHeaders, otherKeyFinding, type ResolvedKey, type SignatureParse } from './signature-core'

/**
 * WeChat Pay API v3 notifications. Wechatpay-Signature is RSA-SHA256 (PKCS#1 v1.5, base64) over
 * `timestamp\nnonce\nbody\n`; Wechatpay-Serial names the platform certificate (its serial) or the
 * platform public key (`PUB_KEY_ID_…`, matched against the key's keyId); ±5 minutes. The body's
 * `resource` is AEAD_AES_256_GCM under the APIv3 key (the key's secret, 32 characters used as
 * bytes), with `nonce` and `associated_data` as text and the tag appended to the base64 ciphertext.
 * Signatures starting WECHATPAY/SIGNTEST/ are WeChat's deliberate probes and must fail.
 *
 * A key may hold only the APIv3 key: it then decrypts `resource` objects and the verdict says the
 * signature could not be checked. APIv3 keys of 16 or 24 bytes (the official SDKs' own tests use
 * them; their AES routine picks the AES size from the key) decrypt with AES-128/192-GCM and a warning.
 */
const H = { signature: 'Wechatpay-Signature', timestamp: 'Wechatpay-Timestamp', nonce: 'Wechatpay-Nonce', serial: 'Wechatpay-Serial' } as const
const PROBE = 'WECHATPAY/SIGNTEST/'
const ID = 'wechatpay'

const options = optionsReader(
  z.object({
    toleranceSeconds: z.number().int().min(1).max(31_536_000).default(300)
  })
)

function certificateKeys(key: Pick<KeyEntry, 'material'>) {
  const parsed = parseCertificates(key.material.certificate)
  return parsed.ok ? parsed.certs : []
}

function publicKeyOf(key: Pick<KeyEntry, 'material'>): KeyObject | null {
  if (!key.material.publicKey) return null
  const parsed = parsePublicKey(key.material.publicKey)
  return parsed.ok ? parsed.key : null
}

function resolveKey(key: KeyEntry, request: VerifyRequest, _parsed: unknown, context: SchemeContext): ResolvedKey | Failure {
  const serial = header(request, H.serial)!.trim()
  const wanted = normalizeSerial(serial)
  const certificates = certificateKeys(key)
  const certificate = certificates.find((cert) => normalizeSerial(cert.serialNumber) === wanted)
  if (certificate) {
    const step: VerdictStep = { label: 'Platform certificate', ok: true, detail: `serial ${serial} matches` }
    const expired = checkValidAt(certificate, context.now, `the platform certificate ${serial}`)
    if (expired) return { failure: { code: 'CERT_UNTRUSTED', summary: `Key "${key.name}": ${expired}.`, steps: [{ ...step, ok: false, detail: expired }] } }
    const wrongKind = expectKind(certificate.publicKey, ['rsa'], 'the platform certificate key')
    if (wrongKind) return { failure: { code: 'KEY_UNUSABLE', summary: `Key "${key.name}": ${wrongKind}.` } }
    return { key: certificate.publicKey, label: `platform certificate ${serial}`, steps: [step] }
  }
  const publicKey = publicKeyOf(key)
  if (publicKey && (key.keyId ? key.keyId === serial : serial.startsWith('PUB_KEY_ID_'))) {
    const wrongKind = expectKind(publicKey, ['rsa'], 'the platform public key')
    if (wrongKind) return { failure: { code: 'KEY_UNUSABLE', summary: `Key "${key.name}": ${wrongKind}.` } }
    return {
      key: publicKey,
      label: `platform public key ${serial}`,
      steps: [{ label: 'Platform public key', ok: true, detail: key.keyId ? `id ${serial} matches` : `${serial} (the key has no keyId to compare)` }]
    }
  }
  const held = [
    ...certificates.map((cert) => `certificate ${normalizeSerial(cert.serialNumber)}`),
    ...(publicKey ? [`public key ${key.keyId ?? '(no keyId)'}`] : [])
  ]
  return {
    failure: {
      code: 'UNKNOWN_KEY_ID',
      summary: `${H.serial} ${serial.slice(0, 64)} is not held by key "${key.name}" (it has ${held.join(', ') || 'no usable certificate or public key'}).`,
      steps: [{ label: H.serial, ok: false, detail: `${serial.slice(0, 64)} not found` }]
    }
  }
}

const signatureScheme = createSignatureScheme({
  id: ID,
  label: 'WeChat Pay v3',
  needs: ['certificate', 'publicKey', 'secret'],
  options,
  detect: (request) => (hasHeader(request, H.signature) ? 1 : 0),
  parse: (request): SignatureParse => {
    const missing = missingHeaders(request, Object.values(H))
    if (missing) return missing
    const signature = header(request, H.signature)!.trim()
    if (signature.startsWith(PROBE)) {
      return {
        failure: {
          code: 'SIG_MISMATCH',
          summary: `This is a WeChat Pay signature probe (${PROBE}…): it is meant to fail, and a receiver that accepts it does not check signatures.`
        }
      }
    }
    const timestampRaw = header(request, H.timestamp)!.trim()
    const timestamp = parseUnixSeconds(timestampRaw)
    if (!timestamp)
      return { failure: { code: 'SIG_HEADER_MALFORMED', summary: `${H.timestamp} is not a Unix timestamp in seconds: "${timestampRaw.slice(0, 40)}".` } }
    return { signatures: [signature], timestamp: timestamp.seconds, timestampRaw, fields: { nonce: header(request, H.nonce)! } }
  },
  content: (request, parsed) => Buffer.concat([Buffer.from(`${parsed.timestampRaw}\n${parsed.fields!.nonce}\n`, 'utf8'), request.body, Buffer.from('\n')]),
  signatureEncoding: 'base64',
  digest: 'sha256',
  keyKinds: ['rsa'],
  resolveKey,
  candidateKeys: (key) => [...certificateKeys(key).map((cert) => cert.publicKey), ...[publicKeyOf(key)].filter((k): k is KeyObject => k !== null)],
  timestamp: (o) => ({ toleranceSeconds: o.toleranceSeconds, direction: 'both' }),
  signedContentLabel: 'timestamp\\nnonce\\nbody\\n',
  keyNoun: 'the platform key',
  checkKey: (key) => {
    if (!key.material.certificate && !key.material.publicKey && !key.material.secret) {
      return 'a WeChat Pay key needs the platform certificate (or platform public key) to check signatures, and/or the APIv3 key (secret) to decrypt resources'
    }
    if (key.material.certificate) {
      const parsed = parseCertificates(key.material.certificate)
      if (!parsed.ok) return parsed.error
      for (const cert of parsed.certs) {
        const wrong = expectKind(cert.publicKey, ['rsa'], 'the platform certificate key')
        if (wrong) return wrong
      }
    }
    if (key.material.publicKey) {
      const parsed = parsePublicKey(key.material.publicKey)
      if (!parsed.ok) return parsed.error
      const wrong = expectKind(parsed.key, ['rsa'], 'the platform public key')
      if (wrong) return wrong
    }
    if (key.material.secret !== undefined && !API_V3_KEY_BYTES.includes(Buffer.byteLength(key.material.secret, 'utf8'))) {
      return 'the secret (APIv3 key) must be 32 characters (16 or 24 are accepted for test keys)'
    }
    return null
  }
})

/** 32 in production (AES-256); 16 and 24 appear in the official SDKs' tests. */
const API_V3_KEY_BYTES = [16, 24, 32]
const HAS_NO_PLATFORM_KEY = 'the key has no platform certificate or platform public key (add one to check Wechatpay-Signature)'

function hasPlatformKey(key: Pick<KeyEntry, 'material'>): boolean {
  return Boolean(key.material.certificate || key.material.publicKey)
}

interface Resource {
  algorithm?: unknown
  ciphertext?: unknown
  nonce?: unknown
  associated_data?: unknown
}

function openResource(secret: string, resource: Resource): Buffer | null {
  const key = Buffer.from(secret, 'utf8')
  const sealed = typeof resource.ciphertext === 'string' ? decodeBinary(resource.ciphertext, 'base64') : null
  if (!API_V3_KEY_BYTES.includes(key.length) || !sealed || sealed.length < GCM_TAG_BYTES || typeof resource.nonce !== 'string') return null
  const aad = typeof resource.associated_data === 'string' ? Buffer.from(resource.associated_data, 'utf8') : undefined
  return gcmOpen(
    key,
    Buffer.from(resource.nonce, 'utf8'),
    sealed.subarray(0, sealed.length - GCM_TAG_BYTES),
    sealed.subarray(sealed.length - GCM_TAG_BYTES),
    aad
  )
}

/**
 * Decrypts the body's `resource` after `outcome` (the signature's, or "not checkable"). `lead`
 * starts the summary: what was established about the signature.
 */
function decryptResource(outcome: SchemeOutcome, request: VerifyRequest, key: KeyEntry, context: SchemeContext, lead: string): SchemeOutcome {
  const steps = [...outcome.steps]
  if (!key.material.secret) {
    steps.push({ label: 'Resource', ok: true, detail: 'not decrypted: the key has no APIv3 key (secret)' })
    return { ...outcome, steps }
  }
  const value = jsonObjectBody(request.body)?.resource
  const resource = typeof value === 'object' && value !== null ? (value as Resource) : undefined
  if (!resource) {
    steps.push({ label: 'Resource', ok: true, detail: 'the body has no resource object to decrypt' })
    return { ...outcome, steps }
  }
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    const algorithm = typeof resource.algorithm === 'string' ? resource.algorithm.slice(0, 40) : 'none'
    steps.push({ label: 'Resource', ok: false, detail: `algorithm ${algorithm}` })
    return { ...outcome, ok: false, code: 'PAYLOAD_MALFORMED', steps, summary: `${lead}, but resource.algorithm is ${algorithm}, not AEAD_AES_256_GCM.` }
  }
  const keyBytes = Buffer.byteLength(key.material.secret, 'utf8')
  const cipher = keyBytes === 32 ? 'AEAD_AES_256_GCM' : `AES-${keyBytes * 8}-GCM`
  const warning = keyBytes === 32 ? '' : `; warning: production APIv3 keys are 32 characters (AES-256), this one has ${keyBytes}`
  const plaintext = openResource(key.material.secret, resource)
  if (plaintext) {
    steps.push({ label: `Resource (${cipher})`, ok: true, detail: `${plaintext.length} bytes decrypted with the APIv3 key${warning}` })
    return {
      ...outcome,
      steps,
      summary: `${lead}, and the resource decrypts (${plaintext.length} bytes${keyBytes === 32 ? '' : ` with ${cipher}: a ${keyBytes}-byte test key, production keys are 32 characters`}).`,
      decrypted: { bodyBase64: plaintext.toString('base64'), keyId: key.keyId, keyStatus: key.status }
    }
  }
  steps.push({ label: `Resource (${cipher})`, ok: false, detail: `the authentication tag does not verify with the APIv3 key${warning}` })
  // Each trial decrypts the whole resource: they run as the near-miss search allows.
  const search = nearMissSearch(request, context)
  const others = context.otherKeys.filter((other) => other.id !== key.id && other.scheme === ID && other.material.secret)
  const size = typeof resource.ciphertext === 'string' ? resource.ciphertext.length : 0
  const findings = search.allows('other keys', others.length, size)
    ? others
        .filter((other) => openResource(other.material.secret!, resource))
        .slice(0, 10)
        .map((other) => otherKeyFinding(other, 'The resource decrypts with the APIv3 key of another key'))
    : []
  findings.push(...search.findings())
  return {
    ...outcome,
    ok: false,
    code: 'DECRYPT_FAILED',
    steps,
    findings,
    summary: `${lead}, but the resource does not decrypt with the APIv3 key of key "${key.name}"${findings[0] ? `. ${findings[0].message}` : ' (wrong APIv3 key, or the resource was changed).'}`
  }
}

/** A key with only the APIv3 key: decrypt the resource, and say the signature could not be checked. */
function decryptWithoutSignature(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const unchecked: SchemeOutcome = {
    ok: true,
    code: null,
    summary: '',
    steps: [{ label: 'Signature', ok: false, detail: `not checked: ${HAS_NO_PLATFORM_KEY}` }],
    findings: []
  }
  const outcome = decryptResource(unchecked, request, key, context, `${H.signature} was not checked (${HAS_NO_PLATFORM_KEY})`)
  if (outcome.decrypted || !outcome.ok) return outcome
  return {
    ...outcome,
    ok: false,
    code: 'KEY_UNUSABLE',
    summary: `Key "${key.name}" holds only the APIv3 key: it decrypts resource objects, but this body has none, and ${H.signature} needs the platform certificate or public key.`
  }
}

export const wechatpay: typeof signatureScheme = {
  ...signatureScheme,
  verify: async (request, key, context) => {
    if (!hasPlatformKey(key)) return decryptWithoutSignature(request, key, context)
    const outcome = await signatureScheme.verify(request, key, context)
    return outcome.ok ? decryptResource(outcome, request, key, context, `Signature verifies with key "${key.name}"`) : outcome
  }
}

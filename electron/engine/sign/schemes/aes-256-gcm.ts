import { randomBytes } from 'node:crypto'
import { aes256Gcm, options as gcmOptions, keyBytesOf, open, readEnvelope } from '../../verify/schemes/keyed/aes-256-gcm'
import { GCM_NONCE_BYTES } from '../../verify/schemes/keyed/gcm'
import { parseJsonObject, reserialize } from '../json-edit'
import { plaintextToSeal } from '../keyed/envelope-plaintext'
import { gcmSeal } from '../keyed/gcm-seal'
import { defineSigner } from '../signer-core'

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.')
  let current = target
  for (const part of parts.slice(0, -1)) {
    const next = current[part]
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) {
      current = next as Record<string, unknown>
    } else {
      const created: Record<string, unknown> = {}
      current[part] = created
      current = created
    }
  }
  current[parts[parts.length - 1]!] = value
}

/**
 * AES-256-GCM envelopes, re-sealed under this (ACTIVE) key with a fresh random nonce, in the
 * field names, encodings and key-id field the key's options give. An envelope body keeps its
 * other fields and its aad; a plaintext body gets a new envelope.
 */
export const aes256GcmSigner = defineSigner({
  scheme: aes256Gcm,
  signsWith: ['secret'],
  write: (draft, { key, options, plaintext }) => {
    const o = gcmOptions.read(options)
    const aesKey = keyBytesOf(key)!.bytes
    const read = readEnvelope(draft.body, o)
    const sealedNow = plaintextToSeal(
      plaintext,
      draft.body,
      { present: read.ok, open: () => (read.ok ? open(aesKey, read.envelope, o.encoding, o) : null) },
      'AES-256-GCM envelope'
    )
    if (!Buffer.isBuffer(sealedNow)) return sealedNow
    const aadText = read.ok ? read.envelope.aad : undefined
    const aad = aadText === undefined ? undefined : o.aadEncoding === 'utf8' ? Buffer.from(aadText, 'utf8') : Buffer.from(aadText, 'base64')
    const nonce = randomBytes(GCM_NONCE_BYTES)
    const sealed = gcmSeal(aesKey, nonce, sealedNow, aad)
    const envelope = (read.ok ? parseJsonObject(draft.body) : null) ?? {}
    if (o.keyIdField !== null && key.keyId) setPath(envelope, o.keyIdField, key.keyId)
    setPath(envelope, o.nonceField, nonce.toString(o.encoding))
    if (o.tagField === null || (read.ok && read.envelope.tag === undefined)) {
      setPath(envelope, o.ciphertextField, Buffer.concat([sealed.ciphertext, sealed.tag]).toString(o.encoding))
    } else {
      setPath(envelope, o.ciphertextField, sealed.ciphertext.toString(o.encoding))
      setPath(envelope, o.tagField, sealed.tag.toString(o.encoding))
    }
    draft.body = read.ok ? reserialize(draft.body.toString('utf8'), envelope) : Buffer.from(JSON.stringify(envelope), 'utf8')
    draft.notes.push(`Sealed under ${key.keyId ?? `key "${key.name}"`} with a fresh nonce (${sealedNow.length} bytes of plaintext).`)
  }
})

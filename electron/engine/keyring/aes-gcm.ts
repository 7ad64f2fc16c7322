import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** AES-256-GCM with a 96-bit IV (the size GCM is designed for) and a full 128-bit tag. */
export const GCM_IV_BYTES = 12
export const GCM_TAG_BYTES = 16
export const AES_KEY_BYTES = 32

export function encryptGcm(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES })
  cipher.setAAD(aad)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { ciphertext, tag: cipher.getAuthTag() }
}

/** Throws (a plain Error from node:crypto) when the key, IV, AAD, ciphertext or tag do not match. */
export function decryptGcm(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer {
  if (iv.length !== GCM_IV_BYTES || tag.length !== GCM_TAG_BYTES) throw new Error('malformed AES-GCM input')
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(tag)
  const head = decipher.update(ciphertext)
  try {
    // final() verifies the tag; only then may the plaintext be used.
    return Buffer.concat([head, decipher.final()])
  } finally {
    head.fill(0)
  }
}

/**
 * One self-contained box: `iv(12) | ciphertext | tag(16)`. A fresh random IV per box; with one
 * data key and far fewer than 2^32 boxes, random 96-bit IVs stay well inside GCM's safety margin.
 */
export function sealGcm(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(GCM_IV_BYTES)
  const { ciphertext, tag } = encryptGcm(key, iv, plaintext, aad)
  return Buffer.concat([iv, ciphertext, tag])
}

export function openGcm(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < GCM_IV_BYTES + GCM_TAG_BYTES) throw new Error('malformed AES-GCM box')
  const iv = sealed.subarray(0, GCM_IV_BYTES)
  const tag = sealed.subarray(sealed.length - GCM_TAG_BYTES)
  const ciphertext = sealed.subarray(GCM_IV_BYTES, sealed.length - GCM_TAG_BYTES)
  return decryptGcm(key, iv, ciphertext, tag, aad)
}

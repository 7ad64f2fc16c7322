import { createDecipheriv } from 'node:crypto'

export const GCM_TAG_BYTES = 16
export const GCM_NONCE_BYTES = 12

/**
 * AES-GCM decryption with a full 16-byte tag (a shorter tag is refused rather than accepted:
 * Node would otherwise check only the bytes given). The key size picks AES-128/192/256, as Go's
 * aes.NewCipher does; callers that mean AES-256 only pass 32-byte keys. Null when authentication fails.
 */
export function gcmOpen(key: Buffer, nonce: Buffer, ciphertext: Buffer, tag: Buffer, aad?: Buffer): Buffer | null {
  if (![16, 24, 32].includes(key.length) || tag.length !== GCM_TAG_BYTES || nonce.length === 0) return null
  try {
    const decipher = createDecipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES })
    decipher.setAuthTag(tag)
    if (aad) decipher.setAAD(aad)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch {
    return null
  }
}

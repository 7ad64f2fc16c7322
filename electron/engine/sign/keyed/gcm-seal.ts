import { createCipheriv } from 'node:crypto'
import { GCM_TAG_BYTES } from '../../verify/schemes/keyed/gcm'

/** AES-GCM encryption (128, 192 or 256 by the key's length) with a full 16-byte tag: the counterpart of the verifier's gcmOpen. */
export function gcmSeal(key: Buffer, nonce: Buffer, plaintext: Buffer, aad?: Buffer): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES })
  if (aad) cipher.setAAD(aad)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { ciphertext, tag: cipher.getAuthTag() }
}

import { createHash } from 'node:crypto'
import { decodeBinary } from './binary-text'

/**
 * How a keyring secret becomes a 32-byte AES-256 key. `auto` picks the one reading that gives 32
 * bytes (64 hex characters, base64 of 32 bytes, or 32 characters of text); the readings cannot
 * overlap, so auto is never ambiguous. `sha256` (the digest of the text) is Feishu's derivation
 * and appears here only as a near-miss candidate.
 */
export type AesKeyEncoding = 'base64' | 'hex' | 'utf8' | 'sha256'
export type AesKeyEncodingOption = 'auto' | Exclude<AesKeyEncoding, 'sha256'>

export const AES_KEY_ENCODING_LABEL: Record<AesKeyEncoding, string> = {
  base64: 'base64',
  hex: 'hex',
  utf8: 'raw text (32 characters)',
  sha256: 'the SHA-256 digest of the text'
}

export function aesKeyBytes(secret: string, encoding: AesKeyEncoding): Buffer | null {
  const text = secret.trim()
  let bytes: Buffer | null
  switch (encoding) {
    case 'hex':
      bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : null
      break
    case 'base64':
      bytes = decodeBinary(text, 'base64') ?? decodeBinary(text, 'base64url')
      break
    case 'utf8':
      bytes = Buffer.from(secret, 'utf8')
      break
    case 'sha256':
      bytes = createHash('sha256').update(secret, 'utf8').digest()
      break
  }
  return bytes && bytes.length === 32 ? bytes : null
}

export function decodeAesKey(secret: string, option: AesKeyEncodingOption): { bytes: Buffer; encoding: AesKeyEncoding } | null {
  const order: AesKeyEncoding[] = option === 'auto' ? ['hex', 'base64', 'utf8'] : [option]
  for (const encoding of order) {
    const bytes = aesKeyBytes(secret, encoding)
    if (bytes) return { bytes, encoding }
  }
  return null
}

/** Other 32-byte readings of the same secret, for "the key was decoded the wrong way". */
export function alternativeAesKeys(secret: string, used: Buffer): { bytes: Buffer; encoding: AesKeyEncoding }[] {
  const out: { bytes: Buffer; encoding: AesKeyEncoding }[] = []
  for (const encoding of ['hex', 'base64', 'utf8', 'sha256'] as const) {
    const bytes = aesKeyBytes(secret, encoding)
    if (bytes && !bytes.equals(used) && !out.some((o) => o.bytes.equals(bytes))) out.push({ bytes, encoding })
  }
  return out
}

/**
 * Binary values carried as text (nonces, ciphertexts, signatures, raw keys). Decoding is strict and
 * canonical: Node's decoders skip junk and ignore the unused bits of a final base64 character, so
 * two different strings could decode to the same bytes; here every byte string has one spelling
 * per encoding (padding optional), which keeps "a changed byte never verifies" true.
 */
export type BinaryEncoding = 'base64' | 'base64url' | 'hex'

export const BINARY_ENCODINGS: readonly BinaryEncoding[] = ['base64', 'base64url', 'hex']

export const BINARY_ENCODING_LABEL: Record<BinaryEncoding, string> = {
  base64: 'base64',
  base64url: 'base64url',
  hex: 'hex'
}

const PATTERN: Record<BinaryEncoding, RegExp> = {
  base64: /^[A-Za-z0-9+/]*={0,2}$/,
  base64url: /^[A-Za-z0-9_-]*={0,2}$/,
  hex: /^(?:[0-9a-fA-F]{2})*$/
}

/** Bytes, or null when `text` is not a canonical spelling in `encoding` (empty text is null too). */
export function decodeBinary(text: string, encoding: BinaryEncoding): Buffer | null {
  if (text.length === 0 || !PATTERN[encoding].test(text)) return null
  if (encoding === 'hex') return Buffer.from(text, 'hex')
  const unpadded = text.replace(/=+$/, '')
  if (unpadded.length % 4 === 1) return null
  if (text.length !== unpadded.length && text.length % 4 !== 0) return null
  const bytes = Buffer.from(unpadded, encoding)
  if (bytes.length === 0) return null
  const canonical = bytes.toString(encoding).replace(/=+$/, '')
  return canonical === unpadded ? bytes : null
}

/** The first encoding (in the order given) in which `text` decodes. */
export function decodeAny(text: string, encodings: readonly BinaryEncoding[] = BINARY_ENCODINGS): { bytes: Buffer; encoding: BinaryEncoding } | null {
  for (const encoding of encodings) {
    const bytes = decodeBinary(text, encoding)
    if (bytes) return { bytes, encoding }
  }
  return null
}

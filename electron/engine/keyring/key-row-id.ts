import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lowercase: no i, l, o, u.

/**
 * Keyring row ids: `key_` + 12 random base32 characters (60 bits). Random rather than
 * time-ordered: a key id says nothing about when the key was made. 256 is a multiple of 32, so
 * `byte & 31` is unbiased.
 */
export function newKeyRowId(): string {
  const bytes = randomBytes(12)
  let id = 'key_'
  for (const byte of bytes) id += ALPHABET[byte & 31]
  return id
}

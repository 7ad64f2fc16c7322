import { createHash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lowercase

/** 120 random bits as 24 URL-safe characters: the channel id is part of a public URL, and unguessable. */
export function newChannelId(): string {
  return base32(randomBytes(15))
}

/** Random bytes for delivery ids, drawn in bulk: one system call per 400 ids, not one each. */
const idPool = Buffer.alloc(4000)
let idPoolOffset = idPool.length

/** Delivery ids: 80 random bits, 16 characters. */
export function newDeliveryId(): string {
  if (idPoolOffset === idPool.length) {
    randomFillSync(idPool)
    idPoolOffset = 0
  }
  idPoolOffset += 10
  return base32(idPool.subarray(idPoolOffset - 10, idPoolOffset))
}

/** A client token: 256 random bits, base64url. Stored only as its SHA-256. */
export function newClientToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Constant-time check of a presented token against a stored hash (both hashes have one length). */
export function tokenMatches(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex')
  const actual = createHash('sha256').update(presented, 'utf8').digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** The token from `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header ?? '')
  return match ? match[1]! : null
}

export const CHANNEL_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{24}$/

function base32(bytes: Buffer): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

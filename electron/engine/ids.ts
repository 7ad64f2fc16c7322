import { randomFillSync } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lowercase: no i, l, o, u.

/**
 * Delivery ids like ULIDs: 10 characters of millisecond time, 16 of randomness. They sort by
 * time, never repeat across data folders, and are safe in URLs and file names. Random bytes come
 * from a pooled buffer so an id costs no system call.
 */
export function createIdGenerator(now: () => number): () => string {
  const pool = Buffer.allocUnsafe(4096)
  let offset = pool.length
  return () => {
    if (offset + 16 > pool.length) {
      randomFillSync(pool)
      offset = 0
    }
    let time = now()
    let timePart = ''
    for (let i = 0; i < 10; i++) {
      timePart = ALPHABET[time % 32] + timePart
      time = Math.floor(time / 32)
    }
    let randomPart = ''
    for (let i = 0; i < 16; i++) randomPart += ALPHABET[pool[offset++]! & 31]
    return timePart + randomPart
  }
}

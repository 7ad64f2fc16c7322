import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Constant-time comparison of two strings or byte arrays of any length. Hashing first makes the
 * lengths equal, so the time taken says nothing about where (or whether) they differ.
 */
export function timingSafeEqualBytes(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

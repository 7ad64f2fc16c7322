import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Constant-time comparison for secrets (API keys, tokens, passwords), of any length. Hashing
 * first makes the lengths equal, so the time taken says nothing about where they differ, nor
 * about how long the secret is.
 */
export function timingSafeEqualBytes(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}

/**
 * Constant-time comparison for computed signatures and digests. Their length is public (it follows
 * from the algorithm and encoding), so unequal lengths may return at once; equal lengths are
 * compared without an early exit. Cheaper than hashing, on the hot path of every delivery.
 */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8')
  const y = Buffer.from(b, 'utf8')
  return x.length === y.length && timingSafeEqual(x, y)
}

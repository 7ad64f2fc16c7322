/**
 * A token bucket per channel: `perSecond` sustained, bursts up to `burst`. Per instance: behind a
 * load balancer with N instances a channel can get up to N times the rate, which is fine for what
 * it is for (one noisy sender must not starve the relay).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number,
    /** Buckets kept at most; the oldest are forgotten (a forgotten bucket starts full again). */
    private readonly maxBuckets = 100_000
  ) {}

  /** Takes one token; false when the channel is over its rate. */
  take(key: string): boolean {
    const now = this.now()
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!)
      bucket = { tokens: this.burst, at: now }
      this.buckets.set(key, bucket)
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond)
    bucket.at = now
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Whole seconds until the next token, for Retry-After. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(1 / this.perSecond))
  }
}

/**
 * Bytes of request bodies held in memory across every listener, until their delivery is stored.
 * Past the budget new deliveries are refused (503 + Retry-After) instead of the process growing
 * without bound while the disk or the writer falls behind.
 */
export class InFlightBudget {
  private used = 0

  constructor(readonly limit: number) {}

  /** Takes `bytes` from the budget; false (nothing taken) if they do not fit. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false
    this.used += bytes
    return true
  }

  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes)
  }

  get inUse(): number {
    return this.used
  }
}

/** Default for EngineConfig.maxInFlightBodyBytes. */
export const DEFAULT_IN_FLIGHT_BODY_BYTES = 256 * 1024 * 1024

/** What a refused sender is told to wait, in seconds. */
export const RETRY_AFTER_SECONDS = 5

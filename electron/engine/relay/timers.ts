/** Timer source, injected so tests drive retries with a fake clock instead of waiting. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** Node's own timers; unref'd so a pending retry never keeps a CLI process alive. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout)
}

/** setTimeout's ceiling is 2^31-1 ms (~24.8 days); longer waits re-arm. */
export const MAX_TIMER_MS = 2_147_483_647

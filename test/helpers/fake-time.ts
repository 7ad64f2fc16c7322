import type { Clock } from '../../electron/engine/engine-types'
import type { Timers } from '../../electron/engine/relay/timers'

/**
 * A clock and timers that move only when the test says so: retries and pacing are checked by
 * their scheduled times, never by waiting.
 */
export function fakeTime(start = 1_700_000_000_000) {
  let now = start
  let sequence = 0
  const pending = new Map<number, { at: number; callback: () => void }>()
  const clock: Clock = { now: () => now }
  const dueTimes = () => [...pending.values()].map((timer) => timer.at).sort((a, b) => a - b)
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = ++sequence
      pending.set(id, { at: now + Math.max(0, ms), callback })
      return id
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    }
  }
  return {
    clock,
    timers,
    get now() {
      return now
    },
    /** Due times of the timers still armed, soonest first. */
    dueTimes,
    /** Moves the clock to the soonest timer and fires it (and any due at the same time); returns the new time. */
    fireNext(): number {
      const soonest = dueTimes()[0]
      if (soonest === undefined) throw new Error('no timer is armed')
      now = Math.max(now, soonest)
      for (const [id, timer] of [...pending]) {
        if (timer.at > now) continue
        pending.delete(id)
        timer.callback()
      }
      return now
    },
    advance(ms: number): void {
      now += ms
    }
  }
}

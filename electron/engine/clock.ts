import type { Clock } from './engine-types'

export const systemClock: Clock = { now: () => Date.now() }

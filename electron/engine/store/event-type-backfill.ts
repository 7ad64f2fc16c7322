import type { Logger } from '../engine-types'
import type { DeliveriesRepo } from './deliveries-repo'

export interface BackfillLimits {
  /** Rows per step. */
  maxRows: number
  /** Body bytes parsed per step: a step stays short whatever the bodies' sizes. */
  maxBytes: number
}

const DEFAULT_LIMITS: BackfillLimits = { maxRows: 500, maxBytes: 4 * 1024 * 1024 }

/**
 * Fills in the event type of deliveries stored before the column existed, newest
 * first, one bounded step per turn of the event loop, so capture and the API keep answering
 * meanwhile. A store that is already complete costs one lookup. Stops with the engine.
 */
export function startEventTypeBackfill(
  repo: Pick<DeliveriesRepo, 'backfillEventTypes'>,
  logger: Pick<Logger, 'warn'>,
  limits: BackfillLimits = DEFAULT_LIMITS
): { stop(): void; done: Promise<void> } {
  let timer: NodeJS.Immediate | null = null
  let stopped = false
  let finish: () => void = () => {}
  const done = new Promise<void>((resolve) => (finish = resolve))
  const step = (): void => {
    timer = null
    if (stopped) return finish()
    let complete: boolean
    try {
      complete = repo.backfillEventTypes(limits.maxRows, limits.maxBytes)
    } catch (error) {
      // The list still works without event types; the next start tries again.
      logger.warn('event type backfill stopped', { error: error instanceof Error ? error.message : String(error) })
      complete = true
    }
    if (complete) return finish()
    timer = setImmediate(step)
  }
  step()
  return {
    done,
    stop() {
      stopped = true
      if (timer !== null) clearImmediate(timer)
      timer = null
      finish()
    }
  }
}

import type { EngineEvent } from '../../shared/api/contract'
import type { DeliverySummary } from '../../shared/model/delivery'
import type { AttemptSummary } from '../../shared/model/relay'
import { describeResult } from './attempt-lines'

/** Results of deliveries whose line has not been printed yet are kept at most this long (entries). */
const MAX_PENDING = 10_000

/**
 * `listen --forward-to`: a delivery's line waits for its first relay attempt, then goes out with
 * the target's answer (`→ 201 in 12.3 ms`) or why there was none; later retries get lines of
 * their own. Lines come out in the order deliveries finish, not arrive. Other endpoints' lines
 * are not touched (`owns` tells which events this printer takes over).
 */
export function forwardedLines(endpointId: string, formatDeliveryLine: (delivery: DeliverySummary) => string, write: (line: string) => void) {
  const waitingLines = new Map<string, string>()
  const earlyResults = new Map<string, string>()
  const remember = <V>(map: Map<string, V>, key: string, value: V) => {
    map.set(key, value)
    if (map.size > MAX_PENDING) map.delete(map.keys().next().value!)
  }
  return {
    /** True for the events this printer takes (the plain printer must skip them). */
    owns(event: EngineEvent): boolean {
      if (event.type === 'delivery.added') return event.delivery.endpointId === endpointId
      return event.type === 'attempt.added' || event.type === 'attempt.updated'
    },
    handle(event: EngineEvent): void {
      if (event.type === 'delivery.added' && event.delivery.endpointId === endpointId) {
        const line = formatDeliveryLine(event.delivery)
        const result = earlyResults.get(event.delivery.id)
        if (result === undefined) {
          remember(waitingLines, event.delivery.id, line)
          return
        }
        earlyResults.delete(event.delivery.id)
        write(`${line}  ${result}`)
        return
      }
      // A passthrough attempt answered before its delivery was stored is added already finished.
      if ((event.type !== 'attempt.updated' && event.type !== 'attempt.added') || event.attempt.kind !== 'relay' || event.attempt.endpointId !== endpointId)
        return
      const attempt = event.attempt
      if (attempt.deliveryId === null || !isFinished(attempt)) return
      const result = describeResult(attempt)
      if (attempt.number > 1) {
        write(`${clockTime(attempt.finishedAt ?? Date.now())}  ${attempt.method} ${pathOf(attempt.target)}  retry ${attempt.number - 1}  ${result}`)
        return
      }
      const line = waitingLines.get(attempt.deliveryId)
      if (line === undefined) {
        remember(earlyResults, attempt.deliveryId, result)
        return
      }
      waitingLines.delete(attempt.deliveryId)
      write(`${line}  ${result}`)
    },
    /** Stopping: lines still waiting for a result go out without one. */
    flush(): void {
      for (const line of waitingLines.values()) write(line)
      waitingLines.clear()
    }
  }
}

function isFinished(attempt: AttemptSummary): boolean {
  return attempt.state === 'succeeded' || attempt.state === 'failed' || attempt.state === 'cancelled'
}

function pathOf(target: string): string {
  try {
    const url = new URL(target)
    return url.pathname + url.search
  } catch {
    return target
  }
}

/** UTC, to the millisecond (as the delivery lines). */
function clockTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23)
}

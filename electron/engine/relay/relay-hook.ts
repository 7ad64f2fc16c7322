import type { RawHeader } from '../../../shared/model/delivery'
import type { AttemptError, FallbackResponse, ForwardingRule } from '../../../shared/model/relay'
import type { IncomingRequest, OutgoingResponse } from '../capture/capture-types'
import type { AttemptRecord } from './attempt-record'
import { isHopByHop } from './outgoing-headers'

/**
 * How the capture pipeline hands deliveries to the relay (agreed in COORDINATION.md). The
 * pipeline calls `match` for every request; with a rule it calls `passthrough` (in parallel with
 * the store) or `firstAttempt` then `afterStored` (ack-first), according to `rule.mode`.
 */
export interface RelayHook {
  /** First matching forwarding rule of the request's endpoint, or null. Synchronous and cheap (per delivery). */
  match(request: IncomingRequest): MatchedRule | null
  /**
   * passthrough: called as soon as the body is in, in parallel with the store. Resolves with what
   * the sender gets (target's answer, or the endpoint's fallback). Never rejects. `stored` settles
   * when the delivery `deliveryId` is durable (rejects if it could not be stored); the attempt is
   * recorded then.
   */
  passthrough(deliveryId: string, request: IncomingRequest, rule: MatchedRule, stored: Promise<void>): Promise<OutgoingResponse>
  /**
   * ack-first, before the store: the delivery's first relay attempt (`scheduled`), which the
   * pipeline stores in the delivery's own transaction (`delivery.insert`'s `relayAttempt`): a
   * delivery stored and acknowledged then always has its relay pending, whenever the process dies.
   */
  firstAttempt(deliveryId: string, request: IncomingRequest, rule: MatchedRule): AttemptRecord
  /** ack-first: called once the delivery and `first` are stored; runs that attempt (no new row). */
  afterStored(deliveryId: string, request: IncomingRequest, rule: MatchedRule, first: AttemptRecord): void
}

/** A rule as matched: `mode` says which of the two calls applies. */
export type MatchedRule = ForwardingRule

/** Response headers that describe the target's connection or framing, not its answer: the receiver sets its own. */
function notPassedOn(name: string): boolean {
  const lower = name.toLowerCase()
  return lower === 'content-length' || isHopByHop(lower)
}

/** The target's answer as the sender gets it: status, headers (minus framing) and body, byte for byte. */
export function passOn(status: number, headers: readonly RawHeader[], body: Buffer): OutgoingResponse {
  return { status, headers: headers.filter(([name]) => !notPassedOn(name)), body }
}

/** What the sender gets when the target cannot answer: the endpoint's fallback, by default a 502 naming the cause. */
export function fallbackResponse(fallback: FallbackResponse, error: AttemptError, deliveryId: string): OutgoingResponse {
  const headers = fallback.headers.filter(([name]) => !notPassedOn(name))
  if (fallback.body !== null) return { status: fallback.status, headers, body: Buffer.from(fallback.body, 'utf8') }
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/json'])
  const body = JSON.stringify({ error: { code: error.code, message: error.message }, delivery: deliveryId })
  return { status: fallback.status, headers, body: Buffer.from(body, 'utf8') }
}

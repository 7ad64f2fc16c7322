import type { DeliveryHead, QueueLimits } from '../../electron/relay-server/relay-types'

/** Roomy limits for queue tests that are not about limits. */
export const QUEUE_LIMITS: QueueLimits = { maxCount: 100, maxBytes: 1024 * 1024, ttlMs: 60_000 }

/** A plausible delivery head for queue entries (the queue never looks inside it). */
export const DELIVERY_HEAD: DeliveryHead = {
  method: 'POST',
  target: '/hook',
  httpVersion: '1.1',
  headers: [],
  publicUrl: 'http://relay.test/c/x/hook',
  receivedAt: 0,
  durationMs: 0,
  remoteAddress: '127.0.0.1',
  remotePort: 50000
}

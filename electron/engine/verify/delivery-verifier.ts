import { absoluteUrl } from '../../../shared/lib/request-url'
import type { RawHeader, RequestSource } from '../../../shared/model/delivery'
import type { CompactVerdict } from '../../../shared/model/verdict'
import type { Logger } from '../engine-types'
import { withReserializationHint } from './reserialized-hint'
import type { Scheme } from './scheme'
import { checkDelivery, type KeyringSnapshot, verifyDelivery } from './verify-delivery'
import type { VerifyRequest } from './verify-request'

/** What verification needs of a delivery, whichever layer holds it (a new capture, a stored row). */
export interface VerifiableDelivery {
  endpointId: string
  receivedAt: number
  method: string
  /** Request target as received. */
  url: string
  headers: RawHeader[]
  body: Buffer
  /** Arrived over TLS: the URL a scheme signs starts with https. */
  secure: boolean
  /** Where it came from: a tunnel that re-serialised the body explains a failed check. */
  source?: RequestSource
}

/**
 * Verification as the engine runs it: in the capture worker at capture, on demand and when keys
 * change; on the API's thread only to recompute a whole expected signature someone asked for.
 * Always judged at the arrival time. Never throws: a fault inside a scheme is a verdict.
 */
export function createDeliveryVerifier(deps: { schemes: readonly Scheme[]; logger: Logger }) {
  return {
    /** `compact`: the verdict as the capture worker stores it (see CompactVerdict); expanded otherwise. */
    async verify(delivery: VerifiableDelivery, keyring: KeyringSnapshot, checkedAt: number, options: { compact?: boolean } = {}): Promise<CompactVerdict> {
      try {
        const verdict = await verifyDelivery(toVerifyRequest(delivery), keyring, {
          schemes: deps.schemes,
          now: delivery.receivedAt,
          checkedAt,
          compact: options.compact
        })
        return withReserializationHint(verdict, delivery.source)
      } catch (error) {
        deps.logger.error('verification failed', { error: error instanceof Error ? error.name : 'unknown' })
        return {
          status: 'unchecked',
          scheme: null,
          keyId: null,
          code: null,
          summary: 'Verification failed inside Hookscope (see the log); the delivery is stored unchanged.',
          steps: [],
          findings: [],
          checkedAt
        }
      }
    },

    /**
     * The whole signature the verdict's prefix was cut from, recomputed now (never stored), or null
     * when the check computes none (no key, a public-key scheme, a locked keyring).
     */
    async expectedSignature(delivery: VerifiableDelivery, keyring: KeyringSnapshot, checkedAt: number): Promise<string | null> {
      const checked = await checkDelivery(toVerifyRequest(delivery), keyring, { schemes: deps.schemes, now: delivery.receivedAt, checkedAt })
      return checked.expected
    }
  }
}

export type DeliveryVerifier = ReturnType<typeof createDeliveryVerifier>

export function toVerifyRequest(delivery: VerifiableDelivery): VerifyRequest {
  return {
    method: delivery.method,
    url: absoluteUrl(delivery),
    headers: delivery.headers,
    body: delivery.body,
    endpointId: delivery.endpointId
  }
}

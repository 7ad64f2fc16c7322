import type { Verdict } from '../../../shared/model/verdict'
import type { Clock, Logger } from '../engine-types'
import { absoluteUrl } from '../export/delivery-export'
import type { StoredDeliveryRow } from '../store/deliveries-repo'
import type { DeliveryRecord } from '../store/delivery-record'
import type { Scheme } from './scheme'
import { checkDelivery, verifyDelivery, type KeyringSnapshot } from './verify-delivery'
import type { VerifyRequest } from './verify-request'
import { withReserializationHint } from './reserialized-hint'

export interface DeliveryVerifierDeps {
  schemes: readonly Scheme[]
  keyring: () => KeyringSnapshot
  clock: Clock
  logger: Logger
}

export type VerifiableDelivery = Pick<DeliveryRecord | StoredDeliveryRow, 'method' | 'url' | 'headers' | 'body' | 'endpointId' | 'receivedAt' | 'tls'> &
  Pick<DeliveryRecord, 'source'>

/** Verification as the engine runs it: at capture and on demand, judged at the arrival time. */
export function createDeliveryVerifier(deps: DeliveryVerifierDeps) {
  return {
    async verify(delivery: VerifiableDelivery): Promise<Verdict> {
      try {
        const verdict = await verifyDelivery(toVerifyRequest(delivery), deps.keyring(), {
          schemes: deps.schemes,
          now: delivery.receivedAt,
          checkedAt: deps.clock.now()
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
          checkedAt: deps.clock.now()
        }
      }
    },

    /**
     * The whole signature the verdict's prefix was cut from, recomputed now (never stored), or null
     * when the check computes none (no key, a public-key scheme, a locked keyring).
     */
    async expectedSignature(delivery: VerifiableDelivery): Promise<string | null> {
      const checked = await checkDelivery(toVerifyRequest(delivery), deps.keyring(), {
        schemes: deps.schemes,
        now: delivery.receivedAt,
        checkedAt: deps.clock.now()
      })
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

import { allSchemes } from '../../../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../../../electron/engine/verify/verify-delivery'
import type { VerifyRequest } from '../../../../../../electron/engine/verify/verify-request'
import type { KeyEntry } from '../../../../../../shared/model/keyring'
import type { Verdict } from '../../../../../../shared/model/verdict'

/** Runs the real orchestrator over the whole registry, as the app does. */
export function run(request: VerifyRequest, keys: readonly KeyEntry[], nowMs: number): Promise<Verdict> {
  return verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: nowMs, checkedAt: 0 })
}

/** Every string in a verdict, for "the secret never appears" assertions. */
export function verdictText(verdict: Verdict): string {
  return JSON.stringify(verdict)
}

/** Bound to the endpoint the test requests use, so the orchestrator tries the key even without its headers. */
export const BOUND = { endpointIds: ['default'] }
export const ELSEWHERE = { endpointIds: ['another-endpoint'] }

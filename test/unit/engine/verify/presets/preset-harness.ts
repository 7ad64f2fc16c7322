import { allSchemes } from '../../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../../electron/engine/verify/verify-delivery'
import type { VerifyRequest } from '../../../../../electron/engine/verify/verify-request'
import type { RawHeader } from '../../../../../shared/model/delivery'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import type { Verdict } from '../../../../../shared/model/verdict'
import { makeRequest } from '../../../../helpers/verify-fixtures'

export { makeKey, makeRequest } from '../../../../helpers/verify-fixtures'

/** The whole pipeline (auto-detection included), as the app runs it, with the delivery arriving at `nowSec`. */
export function check(request: VerifyRequest, keys: readonly KeyEntry[], nowSec: number): Promise<Verdict> {
  return verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: nowSec * 1000, checkedAt: 0 })
}

/** What the tests assert: status, code and finding codes (never message text). */
export function outcome(verdict: Verdict): { status: Verdict['status']; scheme: string | null; code: Verdict['code']; findings: string[] } {
  return { status: verdict.status, scheme: verdict.scheme, code: verdict.code, findings: verdict.findings.map((finding) => finding.code) }
}

/** Auto-detection with an empty keyring: the verdict names the scheme the headers point to. */
export async function detectedScheme(
  headers: RawHeader[] | Record<string, string>,
  body: string | Buffer,
  overrides: Partial<VerifyRequest> = {}
): Promise<Verdict> {
  return check(makeRequest(headers, body, overrides), [], 1_700_000_000)
}

/** Headers without one name (case-insensitive). */
export function without(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()))
}

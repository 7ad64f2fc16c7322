import { afterEach, beforeEach, expect, vi } from 'vitest'
import { signRequest } from '../../../../electron/engine/sign/sign-request'
import type { SignInput, SignResult } from '../../../../electron/engine/sign/sign-types'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../electron/engine/verify/verify-delivery'
import type { RawHeader } from '../../../../shared/model/delivery'
import type { KeyEntry } from '../../../../shared/model/keyring'
import type { Verdict } from '../../../../shared/model/verdict'

export { makeKey } from '../../../helpers/verify-fixtures'

/** The clock of every re-signing test, in ms (2023-11-14T22:13:20Z). */
export const NOW = 1_700_000_000_000
export const URL = 'https://hooks.example.test/webhook'

export function signInput(headers: RawHeader[] | Record<string, string>, body: string | Buffer, overrides: Partial<SignInput> = {}): SignInput {
  return {
    method: 'POST',
    url: URL,
    headers: Array.isArray(headers) ? headers : Object.entries(headers),
    body: typeof body === 'string' ? Buffer.from(body) : body,
    now: NOW,
    newId: '01hq3v6x2k9m4n8p7r5s3t1w0y',
    ...overrides
  }
}

export type Signed = Extract<SignResult, { ok: true }>

/** Signs and insists it worked (the failure's code and reason show in the assertion message). */
export function resign(input: SignInput, key: KeyEntry): Signed {
  const result = signRequest(input, key)
  expect(result, result.ok ? '' : `${result.code}: ${result.reason}`).toMatchObject({ ok: true })
  return result as Signed
}

/**
 * Hookscope's own verdict on the re-signed request, through the whole pipeline (scheme
 * detection and key search among `keyring`), as if it arrived at `arrivedAt` ms.
 */
export function verdictOf(signed: Signed, input: SignInput, keyring: readonly KeyEntry[], arrivedAt = input.now): Promise<Verdict> {
  return verifyDelivery(
    { method: input.method, url: signed.url ?? input.url, headers: signed.headers, body: signed.body, endpointId: 'default' },
    { locked: false, keys: keyring },
    { schemes: allSchemes, now: arrivedAt, checkedAt: 0 }
  )
}

/** Valid (or decrypted), by the scheme and the key that signed. */
export async function expectVerifies(signed: Signed, input: SignInput, key: KeyEntry, keyring: readonly KeyEntry[] = [key]): Promise<Verdict> {
  const verdict = await verdictOf(signed, input, keyring)
  expect({ status: verdict.status, scheme: verdict.scheme, keyId: verdict.keyId, code: verdict.code }, verdict.summary).toEqual({
    status: verdict.decrypted ? 'decrypted' : 'valid',
    scheme: key.scheme,
    keyId: key.id,
    code: null
  })
  return verdict
}

export function headerOf(signed: { headers: RawHeader[] }, name: string): string | undefined {
  return signed.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]
}

/** Headers as a plain object with lower-case names (what most SDK verify functions take). */
export function headerRecord(signed: { headers: RawHeader[] }): Record<string, string> {
  return Object.fromEntries(signed.headers.map(([key, value]) => [key.toLowerCase(), value]))
}

/** The providers' SDKs judge timestamps against Date.now(): pin it to the signing clock for the file. */
export function pinDateToSigningClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(NOW)
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}

import { createHmac, randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MAX_JSON_VARIANTS_BODY_BYTES } from '../../../../electron/engine/verify/diagnostics/near-miss-search'
import { MAX_VERIFY_BODY_BYTES } from '../../../../electron/engine/verify/json-body'
import { allSchemes } from '../../../../electron/engine/verify/registry'
import { verifyDelivery } from '../../../../electron/engine/verify/verify-delivery'
import { formatSize } from '../../../../shared/lib/byte-size'
import { makeKey, makeRequest } from '../../../helpers/verify-fixtures'

/**
 * The near-miss search rebuilds a JSON body (re-serialised, pretty-printed, \u escapes changed) to
 * tell a body changed in transit; for a JSON body of megabytes of non-ASCII text that took most of a
 * second on the capture worker's thread, which the hashing budget does not count. Over
 * MAX_JSON_VARIANTS_BODY_BYTES the JSON is not rebuilt, and the verdict says so. Rebuilding is
 * observed by the characters JSON.stringify writes while the delivery is verified.
 */
const KiB = 1024
const MiB = 1024 * KiB
const NOW = 1_700_000_000_000

/** A JSON object of about `size` bytes once pretty-printed, mostly non-ASCII text. */
function payload(size: number): unknown {
  const items: unknown[] = []
  let bytes = 0
  for (let i = 0; bytes < size; i++) {
    const item = { id: i, name: 'Grüße aus München — 東京タワー ✓', note: `ñandú çedilla ø 😀 ${i}` }
    items.push(item)
    // Nested in `data`, each of its 5 lines is indented 4 more spaces, and items are joined by ",\n".
    bytes += Buffer.byteLength(JSON.stringify(item, null, 2)) + 5 * 4 + 2
  }
  return { type: 'upload.finished', data: items }
}

/**
 * A GitHub delivery the sender signed as compact JSON, which arrives pretty-printed (a proxy
 * re-serialised it): its compact re-serialisation is what was signed.
 */
function reserialisedDelivery(size: number) {
  const secret = randomBytes(16).toString('hex')
  const value = payload(size)
  const signed = Buffer.from(JSON.stringify(value))
  const body = Buffer.from(JSON.stringify(value, null, 2))
  const request = makeRequest(
    {
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'push',
      'X-GitHub-Delivery': 'd-1',
      'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(signed).digest('hex')}`
    },
    body
  )
  return { request, body, keys: [makeKey('github', { secret })] }
}

/** Characters JSON.stringify wrote during `run`. */
async function stringified<T>(run: () => Promise<T>): Promise<{ result: T; chars: number }> {
  const stringify = JSON.stringify
  let chars = 0
  vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
    const out = stringify(...args) as string | undefined
    chars += out?.length ?? 0
    return out as string
  })
  const result = await run()
  return { result, chars }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('the near-miss search rebuilds JSON only for bodies up to MAX_JSON_VARIANTS_BODY_BYTES', () => {
  it('a failing 3.5 MiB JSON body (non-ASCII) is not re-serialised, and the verdict says body changes were not tried', async () => {
    const { request, body, keys } = reserialisedDelivery(3.5 * MiB)
    expect(body.length).toBeGreaterThan(3.4 * MiB)
    expect(body.length).toBeLessThanOrEqual(MAX_VERIFY_BODY_BYTES)
    const { result: verdict, chars } = await stringified(() =>
      verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: NOW, checkedAt: 0 })
    )
    expect(chars, 'characters JSON.stringify wrote').toBeLessThan(64 * KiB)
    expect({ code: verdict.code, findings: verdict.findings.map((f) => f.code) }).toEqual({ code: 'SIG_MISMATCH', findings: ['NEAR_MISS_SKIPPED'] })
    const message = verdict.findings[0]!.message
    expect(message).toContain('did not try body changes that rebuild its JSON')
    expect(message).toContain(`at ${formatSize(body.length)} the body is over the ${formatSize(MAX_JSON_VARIANTS_BODY_BYTES)}`)
    expect(verdict.summary).toContain('is too large for the near-miss search to rebuild its JSON')
  })

  it('a failing 200 KiB JSON body re-serialised in transit is still BODY_CHANGED, saying how', async () => {
    const { request, body, keys } = reserialisedDelivery(200 * KiB)
    expect(body.length).toBeGreaterThan(190 * KiB)
    expect(body.length).toBeLessThan(210 * KiB)
    const verdict = await verifyDelivery(request, { locked: false, keys }, { schemes: allSchemes, now: NOW, checkedAt: 0 })
    expect({ code: verdict.code, findings: verdict.findings.map((f) => f.code) }).toEqual({ code: 'SIG_MISMATCH', findings: ['BODY_CHANGED'] })
    expect(verdict.findings[0]!.message).toContain('as compact re-serialised JSON')
  })
})

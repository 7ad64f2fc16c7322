import { z } from 'zod'
import type { KeyEntry } from '../../../../../shared/model/keyring'
import { optionsReader } from '../../options-reader'
import { timingSafeEqualBytes } from '../../primitives/timing-safe-equal'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { header, type VerifyRequest } from '../../verify-request'
import { maskCredential, otherCredentialFindings } from './credential-common'

/**
 * A static API key in a header (default X-API-Key), optionally after a prefix such as "Token "
 * (matched case-insensitively, then removed). Compared in constant time; shown masked.
 */
const ID = 'api-key'

export const options = optionsReader(
  z.object({
    header: z.string().min(1).max(128).default('X-API-Key'),
    prefix: z.string().min(1).max(64).optional()
  })
)

function verifyApiKey(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const o = options.read(key.options)
  const expected = key.material.secret
  if (!expected) return failed('KEY_UNUSABLE', `Key "${key.name}" has no API key (secret).`)
  const credential = (received: string | null) => ({
    kind: 'api-key',
    expected: maskCredential(expected),
    received: received === null ? null : maskCredential(received)
  })
  const value = header(request, o.header)
  if (value === undefined)
    return failed('CREDENTIAL_MISSING', `Missing header: ${o.header} (the API key).`, [{ label: o.header, ok: false, detail: 'absent' }], {
      credential: credential(null)
    })
  let received = value.trim()
  if (o.prefix) {
    if (!received.toLowerCase().startsWith(o.prefix.toLowerCase())) {
      return failed(
        'CREDENTIAL_MISMATCH',
        `${o.header} does not start with the prefix ${JSON.stringify(o.prefix)}.`,
        [{ label: o.header, ok: false, detail: 'prefix missing' }],
        {
          credential: credential(received)
        }
      )
    }
    received = received.slice(o.prefix.length).trim()
  }
  const matched = timingSafeEqualBytes(received, expected)
  const steps = [{ label: o.header, ok: matched, detail: matched ? 'matches the API key' : 'does not match' }]
  if (matched) return { ok: true, code: null, summary: `API key matches key "${key.name}".`, steps, findings: [], credential: credential(received) }
  const findings = otherCredentialFindings(received, key, context, [ID])
  const lead = findings[0]
  return failed('CREDENTIAL_MISMATCH', `The API key in ${o.header} does not match key "${key.name}".${lead ? ` ${lead.message}` : ''}`, steps, {
    findings,
    credential: credential(received)
  })
}

export const apiKey: Scheme = {
  id: ID,
  label: 'API key header',
  needs: ['secret'],
  detect: (request, raw = {}) => (header(request, options.read(raw).header) !== undefined ? 0.6 : 0),
  verify: verifyApiKey,
  checkKey: (key) => options.check(key.options) ?? (key.material.secret ? null : 'an API key entry needs the expected key as its secret')
}

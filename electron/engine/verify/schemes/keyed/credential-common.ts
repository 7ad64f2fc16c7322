import type { KeyEntry } from '../../../../../shared/model/keyring'
import type { Finding } from '../../../../../shared/model/verdict'
import { timingSafeEqualBytes } from '../../primitives/timing-safe-equal'
import type { SchemeContext } from '../../scheme'
import { otherKeyFinding } from './signature-core'

/**
 * Shared by the credential schemes (api-key, basic, bearer): masking and the "another key holds
 * this credential" search. A masked value shows at most a 4-character prefix and the length, and
 * less for short values, so neither the expected secret nor what arrived is ever shown whole.
 */
export function maskCredential(value: string): string {
  const chars = [...value]
  const shown = chars.length >= 16 ? 4 : chars.length >= 8 ? 2 : 0
  return `${chars.slice(0, shown).join('')}…(${chars.length} chars)`
}

/** Other keyring entries of `schemes` whose credential equals `received` (compared in constant time). */
export function otherCredentialFindings(
  received: string,
  key: KeyEntry,
  context: SchemeContext,
  schemes: readonly string[],
  credentialOf: (other: KeyEntry) => string | undefined = (other) => other.material.secret
): Finding[] {
  const findings: Finding[] = []
  for (const other of context.otherKeys.slice(0, 500)) {
    if (other.id === key.id || !schemes.includes(other.scheme)) continue
    const credential = credentialOf(other)
    if (credential !== undefined && timingSafeEqualBytes(received, credential)) findings.push(otherKeyFinding(other, 'The credential belongs to another key'))
  }
  return findings
}

/**
 * The authentication scheme word of an Authorization value ("Basic", "Bearer", "Digest"…), for
 * messages. A value with no scheme word is described, never quoted: it may be a bare credential.
 */
export function describeAuthorization(value: string): string {
  const match = /^([A-Za-z][A-Za-z0-9-]{0,19})\s+\S/.exec(value.trim())
  return match ? `${match[1]} credentials` : 'a value without an authentication scheme'
}

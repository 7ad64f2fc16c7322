import type { KeyEntry } from '../../../../../shared/model/keyring'
import { decodeBinary } from '../../primitives/keys/binary-text'
import { timingSafeEqualBytes } from '../../primitives/timing-safe-equal'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { header, type VerifyRequest } from '../../verify-request'
import { describeAuthorization, maskCredential, otherCredentialFindings } from './credential-common'

/**
 * HTTP Basic authentication (RFC 7617): `Authorization: Basic base64(user:password)` against a
 * secret `client_id:client_secret`. Both halves are compared in constant time (each is always
 * compared), so the verdict can say which half is wrong without a timing side channel.
 */
const ID = 'basic'

function split(credential: string): { user: string; password: string } | null {
  const colon = credential.indexOf(':')
  return colon < 0 ? null : { user: credential.slice(0, colon), password: credential.slice(colon + 1) }
}

const masked = (parts: { user: string; password: string }) => `${maskCredential(parts.user)}:${maskCredential(parts.password)}`

function verifyBasic(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const secret = key.material.secret ? split(key.material.secret) : null
  if (!secret) return failed('KEY_UNUSABLE', `Key "${key.name}" has no client_id:client_secret secret.`)
  const credential = (received: string | null) => ({ kind: 'basic', expected: masked(secret), received })
  const value = header(request, 'Authorization')
  const match = value === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(value)
  if (!match) {
    const what = value === undefined ? 'there is no Authorization header' : `Authorization carries ${describeAuthorization(value)}, not Basic`
    return failed(
      'CREDENTIAL_MISSING',
      `No Basic credentials: ${what}.`,
      [{ label: 'Authorization', ok: false, detail: value === undefined ? 'absent' : 'not Basic' }],
      { credential: credential(null) }
    )
  }
  const decoded = decodeBinary(match[1]!, 'base64')
  const received = decoded ? split(decoded.toString('utf8')) : null
  if (!received) {
    return failed(
      'CREDENTIAL_MISMATCH',
      'The Basic credentials are not base64 of "user:password".',
      [{ label: 'Authorization', ok: false, detail: 'malformed Basic value' }],
      {
        credential: credential(maskCredential(match[1]!))
      }
    )
  }
  const userOk = timingSafeEqualBytes(received.user, secret.user)
  const passwordOk = timingSafeEqualBytes(received.password, secret.password)
  const steps = [
    { label: 'User (client id)', ok: userOk },
    { label: 'Password (client secret)', ok: passwordOk }
  ]
  if (userOk && passwordOk)
    return { ok: true, code: null, summary: `Basic credentials match key "${key.name}".`, steps, findings: [], credential: credential(masked(received)) }
  const findings = otherCredentialFindings(`${received.user}:${received.password}`, key, context, [ID])
  const wrong =
    !userOk && !passwordOk
      ? 'the user and the password differ'
      : !userOk
        ? 'the user (client id) differs'
        : 'the user matches, the password (client secret) differs'
  const lead = findings[0]
  return failed('CREDENTIAL_MISMATCH', `Basic credentials do not match key "${key.name}": ${wrong}.${lead ? ` ${lead.message}` : ''}`, steps, {
    findings,
    credential: credential(masked(received))
  })
}

export const basicAuth: Scheme = {
  id: ID,
  label: 'HTTP Basic auth',
  needs: ['secret'],
  detect: (request) => (/^Basic\s/i.test(header(request, 'Authorization') ?? '') ? 0.6 : 0),
  verify: verifyBasic,
  checkKey: (key) => {
    if (!key.material.secret) return 'a Basic auth entry needs client_id:client_secret as its secret'
    const parts = split(key.material.secret)
    if (!parts || parts.user.length === 0) return 'the secret must look like client_id:client_secret (a colon after a non-empty id)'
    return null
  }
}

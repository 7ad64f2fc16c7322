import type { KeyEntry, KeyMaterialField } from '../../../../../shared/model/keyring'
import type { Finding, VerdictStep } from '../../../../../shared/model/verdict'
import { timingSafeEqualBytes } from '../../primitives/timing-safe-equal'
import { failed, type Scheme, type SchemeContext, type SchemeOutcome } from '../../scheme'
import { hasHeader, header, type VerifyRequest } from '../../verify-request'

const TOKEN = 'X-Gitlab-Token'
const NEEDS: readonly KeyMaterialField[] = ['secret']
const MAX_OTHER_KEYS = 200

/**
 * The delivery's id for duplicate detection: Idempotency-Key (GitLab 17.4+, kept across retries)
 * when present, else X-Gitlab-Webhook-UUID (one per webhook request), else X-Gitlab-Event-UUID.
 */
function deliveryIdOf(request: VerifyRequest): string | undefined {
  return header(request, 'Idempotency-Key') ?? header(request, 'X-Gitlab-Webhook-UUID') ?? header(request, 'X-Gitlab-Event-UUID')
}

/**
 * GitLab's secret token: `X-Gitlab-Token` carries the configured token itself (no signature, no
 * timestamp, body not covered). It is compared with the key's secret in constant time. GitLab's
 * newer signing tokens send Standard Webhooks headers (webhook-id/-timestamp/-signature) and are
 * verified by the `standard-webhooks` scheme.
 */
function verifyGitlab(request: VerifyRequest, key: KeyEntry, context: SchemeContext): SchemeOutcome {
  const deliveryId = deliveryIdOf(request)
  const steps: VerdictStep[] = [{ label: 'Coverage', ok: true, detail: 'a shared token, not a signature: the body is not covered' }]
  const received = header(request, TOKEN)
  if (received === undefined) {
    return failed('CREDENTIAL_MISSING', `Missing header ${TOKEN}: was the webhook set up without a secret token?`, steps, { deliveryId })
  }
  const secret = key.material.secret
  if (!secret) return failed('KEY_UNUSABLE', `Key "${key.name}" has no secret.`, steps, { deliveryId })
  const matched = timingSafeEqualBytes(received, secret)
  steps.push({ label: 'Token', ok: matched, detail: matched ? `${TOKEN} matches` : `${TOKEN} differs from the key's token` })
  if (matched) return { ok: true, code: null, summary: `${TOKEN} matches key "${key.name}".`, steps, findings: [], deliveryId }

  const findings: Finding[] = []
  if (timingSafeEqualBytes(received.trim(), secret.trim())) {
    findings.push({
      code: 'SECRET_DECODING',
      message: 'The token matches once surrounding whitespace is ignored: the token was saved (or configured) with extra spaces or a newline.'
    })
  }
  for (const other of context.otherKeys.slice(0, MAX_OTHER_KEYS)) {
    if (other.id === key.id || !other.material.secret) continue
    if (timingSafeEqualBytes(received, other.material.secret)) {
      const where = other.endpointIds.length > 0 ? `, bound to ${other.endpointIds.join(', ')}` : ''
      findings.push({
        code: 'OTHER_KEY',
        keyId: other.id,
        message: `The token matches another key: "${other.name}" (${other.scheme}, ${other.status}${where}).`
      })
    }
  }
  const lead = findings[0]
  return {
    ok: false,
    code: 'CREDENTIAL_MISMATCH',
    summary: lead ? `Token mismatch. ${lead.message}` : `${TOKEN} does not match key "${key.name}".`,
    steps,
    findings,
    deliveryId
  }
}

export const gitlab: Scheme = {
  id: 'gitlab',
  label: 'GitLab',
  needs: NEEDS,
  detect: (request) => (hasHeader(request, TOKEN) ? 1 : hasHeader(request, 'X-Gitlab-Event') ? 0.5 : 0),
  checkKey: (key) => (key.material.secret ? null : 'GitLab needs a secret (the webhook secret token)'),
  verify: verifyGitlab
}

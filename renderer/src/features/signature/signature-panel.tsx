import type { Delivery } from '../../../../shared/model/delivery'
import type { Verdict } from '../../../../shared/model/verdict'
import { useKeys, useNavigation } from '../../app/services-context'
import { VerdictBadge } from '../../components/verdict-badge'
import { formatDateTime } from '../../lib/format'
import { CredentialView } from './credential-view'
import { DecryptedPayload } from './decrypted-payload'
import { DeliveryFacts } from './delivery-facts'
import { RecheckButton } from './recheck-button'
import { SignatureValues } from './signature-values'
import { SignedContent } from './signed-content'
import { TokenView } from './token-view'
import { VerdictFindings } from './verdict-findings'
import { VerdictSteps } from './verdict-steps'

/** Codes the keyring page can fix: offer the way there. */
const KEYRING_CODES = new Set(['KEYRING_LOCKED', 'NO_KEY', 'KEY_INACTIVE', 'KEY_DELETED', 'UNKNOWN_KEY_ID'])

/**
 * Why a delivery is (in)valid. Every string here (summary, findings, signed content, payloads)
 * may come from the sender: all of it is rendered as React text, never as markup.
 */
export function SignaturePanel({ delivery }: { delivery: Delivery }) {
  const verdict = delivery.verdictDetail
  return (
    <div className="signature-panel" data-testid="signature-panel" data-status={verdict?.status ?? 'none'}>
      {verdict ? (
        <VerdictView deliveryId={delivery.id} verdict={verdict} />
      ) : (
        <div className="verdict-head">
          <span className="muted" data-testid="verdict-summary">
            Not checked yet.
          </span>
          <span className="spacer" />
          <RecheckButton deliveryId={delivery.id} />
        </div>
      )}
    </div>
  )
}

function VerdictView({ deliveryId, verdict }: { deliveryId: string; verdict: Verdict }) {
  const schemeLabel = useKeys((s) => (verdict.scheme ? (s.schemes.find((scheme) => scheme.id === verdict.scheme)?.label ?? null) : null))
  const keyName = useKeys((s) => (verdict.keyId ? (s.keys.find((key) => key.id === verdict.keyId)?.name ?? null) : null))
  const go = useNavigation((s) => s.go)

  return (
    <>
      <div className="verdict-head">
        <VerdictBadge verdict={verdict} testId="verdict-status" />
        {verdict.scheme && (
          <span className="verdict-scheme" data-testid="verdict-scheme" title={verdict.scheme}>
            {schemeLabel ?? verdict.scheme}
          </span>
        )}
        {verdict.keyId && (
          <span className="verdict-key" data-testid="verdict-key" title={verdict.keyId}>
            key <strong>{keyName ?? verdict.keyId}</strong>
            {!keyName && <span className="muted"> (no longer in the keyring)</span>}
          </span>
        )}
        {verdict.code && <code className="verdict-code">{verdict.code}</code>}
        <span className="spacer" />
        <RecheckButton deliveryId={deliveryId} />
      </div>
      <p className={`verdict-summary summary-${verdict.status}`} data-testid="verdict-summary">
        {verdict.summary}
      </p>
      <p className="verdict-checked muted small" data-testid="verdict-checked">
        Checked {formatDateTime(verdict.checkedAt)}
      </p>
      {verdict.code && KEYRING_CODES.has(verdict.code) && (
        <p className="verdict-hint">
          <button type="button" className="link-button" data-testid="open-keyring" onClick={() => go('keyring')}>
            Open the keyring
          </button>{' '}
          <span className="muted">to {verdict.code === 'KEYRING_LOCKED' ? 'unlock it' : 'add or activate a key'}, then re-check.</span>
        </p>
      )}
      <VerdictFindings findings={verdict.findings} />
      <VerdictSteps steps={verdict.steps} />
      <DeliveryFacts verdict={verdict} />
      <SignatureValues deliveryId={deliveryId} expectedPrefix={verdict.expectedPrefix} received={verdict.received} />
      {verdict.signedContent !== undefined && <SignedContent text={verdict.signedContent} />}
      {verdict.credential && <CredentialView credential={verdict.credential} />}
      {verdict.token && <TokenView token={verdict.token} />}
      {verdict.decrypted && <DecryptedPayload decrypted={verdict.decrypted} />}
    </>
  )
}

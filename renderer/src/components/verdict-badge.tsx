import type { VerdictBadge as Badge } from '../../../shared/model/verdict'

/** valid / invalid / decrypted / unchecked, colour-coded; the verdict code (or scheme) as tooltip. */
export function VerdictBadge({ verdict, testId = 'verdict-badge' }: { verdict: Badge; testId?: string }) {
  const title = verdict.code ?? (verdict.scheme ? `${verdict.status} (${verdict.scheme})` : verdict.status)
  return (
    <span className={`verdict verdict-${verdict.status}`} data-testid={testId} data-status={verdict.status} data-code={verdict.code ?? ''} title={title}>
      {verdict.status}
    </span>
  )
}

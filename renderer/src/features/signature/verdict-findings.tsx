import { type Finding, isNearMiss } from '../../../../shared/model/verdict'
import { useKeys } from '../../app/services-context'

/**
 * Near misses: each one names the single mistake that, undone, makes the check pass. A search
 * that was skipped (NEAR_MISS_SKIPPED, a body too large for it) is listed too, after them; alone,
 * it is not presented as a way to make the check pass.
 */
export function VerdictFindings({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return null
  return (
    <section>
      <div className="section-title">{findings.some(isNearMiss) ? 'What would make it pass' : 'Near-miss search'}</div>
      <ul className="findings" data-testid="findings">
        {findings.map((finding, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a verdict's findings are immutable and may repeat; their position is their identity
          <FindingItem key={index} finding={finding} />
        ))}
      </ul>
    </section>
  )
}

function FindingItem({ finding }: { finding: Finding }) {
  const keyName = useKeys((s) => (finding.keyId ? (s.keys.find((key) => key.id === finding.keyId)?.name ?? null) : null))
  return (
    <li className="finding" data-testid="finding" data-code={finding.code}>
      <span className="finding-code">{finding.code}</span>
      <span className="finding-message">{finding.message}</span>
      {finding.keyId && <span className="finding-key muted">key: {keyName ?? finding.keyId}</span>}
    </li>
  )
}

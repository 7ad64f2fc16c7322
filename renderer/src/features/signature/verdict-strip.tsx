import type { Verdict } from '../../../../shared/model/verdict'
import { VerdictBadge } from '../../components/verdict-badge'

/** One line above the request: the verdict's sentence, and the way to its details. */
export function VerdictStrip({ verdict, onOpen }: { verdict: Verdict; onOpen: () => void }) {
  return (
    <div className={`verdict-strip strip-${verdict.status}`} data-testid="verdict-strip">
      <VerdictBadge verdict={verdict} testId="verdict-strip-status" />
      <span className="verdict-strip-text" title={verdict.summary}>
        {verdict.summary}
      </span>
      <button type="button" className="link-button" data-testid="verdict-strip-open" onClick={onOpen}>
        Details
      </button>
    </div>
  )
}

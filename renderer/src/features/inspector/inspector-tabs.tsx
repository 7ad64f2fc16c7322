import type { DeliverySummary } from '../../../../shared/model/delivery'
import { VerdictBadge } from '../../components/verdict-badge'
import type { InspectorTab } from './inspector-tab'

interface InspectorTabsProps {
  tab: InspectorTab
  onTab: (tab: InspectorTab) => void
  verdict: DeliverySummary['verdict']
}

export function InspectorTabs({ tab, onTab, verdict }: InspectorTabsProps) {
  return (
    <div className="tabs inspector-tabs" role="tablist">
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'request'}
        className={tab === 'request' ? 'tab active' : 'tab'}
        data-testid="inspector-tab-request"
        onClick={() => onTab('request')}
      >
        Request
      </button>
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'signature'}
        className={tab === 'signature' ? 'tab active' : 'tab'}
        data-testid="inspector-tab-signature"
        onClick={() => onTab('signature')}
      >
        Signature
        {verdict && <VerdictBadge verdict={verdict} testId="inspector-tab-verdict" />}
      </button>
    </div>
  )
}

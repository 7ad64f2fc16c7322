import type { DeliverySummary } from '../../../../shared/model/delivery'
import { LockIcon } from '../../components/lock-icon'
import { VerdictBadge } from '../../components/verdict-badge'
import type { InspectorTab } from './inspector-tab'

interface InspectorTabsProps {
  tab: InspectorTab
  onTab: (tab: InspectorTab) => void
  verdict: DeliverySummary['verdict']
  /** Offer the TLS tab (the delivery arrived over TLS). */
  secure: boolean
}

export function InspectorTabs({ tab, onTab, verdict, secure }: InspectorTabsProps) {
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
      <button
        type="button"
        role="tab"
        aria-selected={tab === 'relay'}
        className={tab === 'relay' ? 'tab active' : 'tab'}
        data-testid="inspector-tab-relay"
        onClick={() => onTab('relay')}
      >
        Relay
      </button>
      {secure && (
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'tls'}
          className={tab === 'tls' ? 'tab active' : 'tab'}
          data-testid="inspector-tab-tls"
          onClick={() => onTab('tls')}
        >
          <LockIcon title="TLS connection" />
          TLS
        </button>
      )}
    </div>
  )
}

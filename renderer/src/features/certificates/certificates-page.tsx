import { useState } from 'react'
import { useCertificates, useKeys, useNavigation } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { CaCard } from './ca-card'
import { CertificatesTable } from './certificates-table'
import { ExpiryWarnings } from './expiry-warnings'
import { ImportClientForm } from './import-client-form'
import { ImportIssuerForm } from './import-issuer-form'
import { IssueClientForm } from './issue-client-form'

type Panel = 'issue' | 'import-client' | 'import-issuer' | null

/** The local CA, the server certificates it issued, client certificates and trusted issuers. */
export function CertificatesPage() {
  const loadError = useCertificates((s) => s.loadError)
  const loadStatus = useCertificates((s) => s.loadStatus)
  const load = useCertificates((s) => s.load)
  const actionError = useCertificates((s) => s.actionError)
  const dismissActionError = useCertificates((s) => s.dismissActionError)
  const vaultState = useKeys((s) => s.vault?.state ?? null)
  const go = useNavigation((s) => s.go)
  const [panel, setPanel] = useState<Panel>(null)
  const close = () => setPanel(null)
  const toggle = (next: Exclude<Panel, null>) => setPanel((current) => (current === next ? null : next))
  const locked = vaultState !== null && vaultState !== 'unlocked'

  return (
    <main className="page" data-testid="certificates-page">
      <div className="page-content">
        <header className="page-header">
          <h1>Certificates</h1>
          <span className="muted">for HTTPS and mTLS endpoints</span>
          <span className="spacer" />
        </header>
        {loadError && (
          <div className="error-banner" role="alert" data-testid="certificates-load-error">
            <span className="error-text">{loadError}</span>
            <button type="button" className="btn btn-small" onClick={() => void load()}>
              Retry
            </button>
          </div>
        )}
        {locked && (
          <div className="notice" data-testid="certificates-locked">
            Private keys are sealed in the keyring, which is {vaultState === 'locked' ? 'locked' : 'not set up'}: issuing, importing and exporting client
            certificates, and starting HTTPS endpoints, need it unlocked.{' '}
            <button type="button" className="link-button" onClick={() => go('keyring')}>
              Open the keyring
            </button>
          </div>
        )}
        <ExpiryWarnings />
        <CaCard />

        <div className="page-toolbar">
          <button
            type="button"
            className={panel === 'issue' ? 'btn btn-primary' : 'btn'}
            data-testid="issue-client-toggle"
            aria-expanded={panel === 'issue'}
            onClick={() => toggle('issue')}
          >
            Issue client certificate
          </button>
          <button
            type="button"
            className="btn"
            data-testid="import-client-toggle"
            aria-expanded={panel === 'import-client'}
            onClick={() => toggle('import-client')}
          >
            Import client certificate…
          </button>
          <button
            type="button"
            className="btn"
            data-testid="import-issuer-toggle"
            aria-expanded={panel === 'import-issuer'}
            onClick={() => toggle('import-issuer')}
          >
            Import trusted issuer…
          </button>
        </div>
        {panel === 'issue' && <IssueClientForm onClose={close} />}
        {panel === 'import-client' && <ImportClientForm onClose={close} />}
        {panel === 'import-issuer' && <ImportIssuerForm onClose={close} />}
        {actionError && <ErrorBanner message={actionError} onDismiss={dismissActionError} testId="certificates-action-error" />}

        {loadStatus === 'ready' || loadStatus === 'error' ? <CertificatesTable /> : <p className="muted">Loading…</p>}
      </div>
    </main>
  )
}

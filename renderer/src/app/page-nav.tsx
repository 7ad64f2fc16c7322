import { PAGES } from './pages'
import { useCertificates, useKeys, useNavigation } from './services-context'

export function PageNav() {
  const page = useNavigation((s) => s.page)
  const go = useNavigation((s) => s.go)
  const vaultState = useKeys((s) => s.vault?.state ?? null)
  const certWarnings = useCertificates((s) => s.warnings.length)
  const certExpired = useCertificates((s) => s.warnings.some((warning) => warning.daysLeft < 0))

  return (
    <nav className="page-nav" aria-label="Pages">
      {PAGES.map(({ id, label }) => (
        <button
          key={id}
          type="button"
          className={page === id ? 'page-tab active' : 'page-tab'}
          aria-current={page === id ? 'page' : undefined}
          data-testid={`nav-${id}`}
          onClick={() => go(id)}
        >
          {label}
          {id === 'keyring' && vaultState !== null && vaultState !== 'unlocked' && (
            <span className="nav-hint" data-testid="nav-keyring-hint" title={vaultState === 'locked' ? 'The keyring is locked' : 'The keyring is not set up'}>
              {vaultState === 'locked' ? 'locked' : 'set up'}
            </span>
          )}
          {id === 'certificates' && certWarnings > 0 && (
            <span className="nav-hint" data-testid="nav-certificates-hint" title="Certificates expire soon or have expired">
              {certWarnings} {certExpired ? 'expired' : 'expiring'}
            </span>
          )}
        </button>
      ))}
    </nav>
  )
}

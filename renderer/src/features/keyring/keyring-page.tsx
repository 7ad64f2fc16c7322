import { useKeys } from '../../app/services-context'
import { PassphraseForm } from './passphrase-form'
import { UnlockForm } from './unlock-form'
import { UnlockedKeyring } from './unlocked-keyring'
import { VaultBadge } from './vault-badge'

/** The keyring: set up, unlock, then manage keys. */
export function KeyringPage() {
  const vault = useKeys((s) => s.vault)
  const loadError = useKeys((s) => s.loadError)
  const load = useKeys((s) => s.load)

  return (
    <main className="page" data-testid="keyring-page" data-vault={vault?.state ?? 'unknown'}>
      <div className="page-content">
        <header className="page-header">
          <h1>Keyring</h1>
          {vault && <VaultBadge vault={vault} />}
          <span className="spacer" />
        </header>
        {loadError && (
          <div className="error-banner" role="alert" data-testid="keys-load-error">
            <span className="error-text">{loadError}</span>
            <button type="button" className="btn btn-small" onClick={() => void load()}>
              Retry
            </button>
          </div>
        )}
        {vault === null ? (
          !loadError && <p className="muted">Loading…</p>
        ) : vault.state === 'uninitialized' ? (
          <PassphraseForm mode="setup" />
        ) : vault.state === 'locked' ? (
          <UnlockForm />
        ) : (
          <UnlockedKeyring protections={vault.protections} />
        )}
      </div>
    </main>
  )
}

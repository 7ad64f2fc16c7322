import type { VaultStatus } from '../../../../shared/api/contract'

const PROTECTION_LABELS = { os: 'OS keychain', passphrase: 'passphrase' } as const

export function VaultBadge({ vault }: { vault: VaultStatus }) {
  const protections = vault.protections.map((item) => PROTECTION_LABELS[item]).join(' + ')
  return (
    <span className="vault-badge">
      <span className={`vault-state vault-${vault.state}`} data-testid="vault-state" data-state={vault.state}>
        {vault.state === 'uninitialized' ? 'not set up' : vault.state}
      </span>
      {protections && <span className="muted small">protected by {protections}</span>}
    </span>
  )
}

import { useCertificates } from '../../app/services-context'

/** Certificates that expired or expire within the warning window, soonest first (the engine's sentences). */
export function ExpiryWarnings() {
  const warnings = useCertificates((s) => s.warnings)
  if (warnings.length === 0) return null
  const expired = warnings.some((warning) => warning.daysLeft < 0)
  return (
    <div className={expired ? 'cert-warnings cert-warnings-expired' : 'cert-warnings'} role="status" data-testid="cert-warnings">
      <div className="cert-warnings-title">{warnings.length === 1 ? 'One certificate needs attention' : `${warnings.length} certificates need attention`}</div>
      <ul>
        {warnings.map((warning) => (
          <li key={warning.id} data-testid="cert-warning" data-id={warning.id} data-days-left={warning.daysLeft}>
            {warning.message}
          </li>
        ))}
      </ul>
    </div>
  )
}

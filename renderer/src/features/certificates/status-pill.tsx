import type { CertificateStatus } from '../../../../shared/model/tls'
import { STATUS_LABELS } from '../tls/tls-format'

export function StatusPill({ status }: { status: CertificateStatus }) {
  return (
    <span className={`cert-status cert-status-${status}`} data-testid="cert-status" data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  )
}

import { useRef, useState } from 'react'
import type { CertificateFile } from '../../../../shared/api/contract'
import { type CertificateSummary, LOCAL_CA_ISSUER_ID } from '../../../../shared/model/tls'
import { useCertificates, useEndpoints } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { formatDateTimeShort } from '../../lib/format'
import { ExportPanel, type ExportState } from './export-panel'
import { Fingerprint } from './fingerprint'
import { StatusPill } from './status-pill'

export const CERTIFICATE_COLUMNS = 6

/**
 * One certificate. Exported files (a private key among them) live in this row's state only:
 * closing the panel, or the row going away, drops them.
 */
export function CertificateRow({ cert }: { cert: CertificateSummary }) {
  const busy = useCertificates((s) => s.busyIds[cert.id] === true)
  const remove = useCertificates((s) => s.remove)
  const exportClient = useCertificates((s) => s.exportClient)
  const endpoints = useEndpoints((s) => s.endpoints)
  const [exported, setExported] = useState<ExportState>({ kind: 'closed' })
  const request = useRef(0)
  const usedBy = cert.kind === 'issuer' ? endpoints.filter((endpoint) => endpoint.tls.trustedIssuerIds.includes(cert.id)).map((endpoint) => endpoint.name) : []

  const exportPem = async () => {
    const current = ++request.current
    setExported({ kind: 'loading' })
    const outcome = await exportClient(cert.id, 'pem')
    if (current !== request.current) return
    setExported(outcome.ok ? { kind: 'files', files: outcome.value } : { kind: 'error', message: outcome.error })
  }

  const close = () => {
    request.current++
    setExported({ kind: 'closed' })
  }

  const exportP12 = async (password: string): Promise<CertificateFile[] | string> => {
    const outcome = await exportClient(cert.id, 'p12', password)
    return outcome.ok ? outcome.value : outcome.error
  }

  return (
    <>
      <tr className="cert-row" data-testid="cert-row" data-id={cert.id} data-kind={cert.kind} data-status={cert.status}>
        <td>
          <div className="key-name" data-testid="cert-name">
            {cert.name}
          </div>
          <div className="small muted">{describe(cert)}</div>
          {usedBy.length > 0 && <div className="small">trusted by {usedBy.join(', ')}</div>}
        </td>
        <td>
          <div data-testid="cert-subject">{cert.subject}</div>
          <div className="small muted">
            issued by {cert.issuer === cert.subject ? 'itself' : cert.issuer}
            {cert.issuedByLocalCa && ' (the local CA)'}
          </div>
        </td>
        <td className="cert-validity">
          <div>{formatDateTimeShort(cert.notBefore)}</div>
          <div>{formatDateTimeShort(cert.notAfter)}</div>
        </td>
        <td>
          <StatusPill status={cert.status} />
        </td>
        <td>
          <Fingerprint value={cert.fingerprint256} />
        </td>
        <td>
          <div className="key-actions">
            {cert.kind === 'client' && cert.hasKey && (
              <>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="cert-export-pem"
                  aria-expanded={exported.kind === 'files' || exported.kind === 'loading'}
                  onClick={() => void (exported.kind === 'files' ? close() : exportPem())}
                >
                  PEM files
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="cert-export-p12"
                  aria-expanded={exported.kind === 'p12'}
                  onClick={() => (exported.kind === 'p12' ? close() : setExported({ kind: 'p12' }))}
                >
                  .p12…
                </button>
              </>
            )}
            {cert.kind !== 'ca' && (
              <ConfirmButton
                label="Remove"
                confirmLabel={removeLabel(cert, usedBy.length)}
                className="btn-small"
                onConfirm={() => void remove(cert.id)}
                disabled={busy}
                testId="cert-remove"
              />
            )}
          </div>
        </td>
      </tr>
      {exported.kind !== 'closed' && (
        <tr className="key-reveal-row">
          <td colSpan={CERTIFICATE_COLUMNS}>
            <ExportPanel state={exported} name={cert.name} onClose={close} exportP12={exportP12} />
          </td>
        </tr>
      )}
    </>
  )
}

function describe(cert: CertificateSummary): string {
  switch (cert.kind) {
    case 'ca':
      return `trusted by endpoints as “${LOCAL_CA_ISSUER_ID}”`
    case 'server':
      return cert.hasKey ? 'for HTTPS endpoints, key held' : 'for HTTPS endpoints'
    case 'client':
      return cert.hasKey ? (cert.issuedByLocalCa ? 'issued here, key held' : 'imported, key held') : 'certificate only'
    case 'issuer':
      return cert.issuedByLocalCa ? 'issued by the local CA' : 'imported issuer'
  }
}

function removeLabel(cert: CertificateSummary, usedBy: number): string {
  if (cert.kind === 'client') return 'Remove (its key is destroyed)'
  if (cert.kind === 'issuer' && usedBy > 0) return `Remove (${usedBy} endpoint${usedBy === 1 ? '' : 's'} will not start)`
  return 'Remove certificate'
}

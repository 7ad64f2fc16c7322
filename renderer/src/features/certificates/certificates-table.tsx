import { useMemo } from 'react'
import type { CertificateKind, CertificateSummary } from '../../../../shared/model/tls'
import { useCertificates } from '../../app/services-context'
import { KIND_LABELS } from '../tls/tls-format'
import { CERTIFICATE_COLUMNS, CertificateRow } from './certificate-row'

const KIND_ORDER: readonly CertificateKind[] = ['ca', 'server', 'client', 'issuer']

const EMPTY_TEXT: Record<CertificateKind, string> = {
  ca: 'None yet.',
  server: 'None yet: one is issued when an HTTPS endpoint starts.',
  client: 'None yet: issue one, or import one a provider gave you.',
  issuer: 'None: endpoints trust the local CA only. Import a CA certificate to accept client certificates it issued.'
}

/** Every stored certificate, by kind, newest first within a kind. */
export function CertificatesTable() {
  const certificates = useCertificates((s) => s.certificates)
  const groups = useMemo(() => {
    const byKind = new Map<CertificateKind, CertificateSummary[]>(KIND_ORDER.map((kind) => [kind, []]))
    for (const cert of certificates) byKind.get(cert.kind)?.push(cert)
    for (const list of byKind.values()) list.sort((a, b) => b.createdAt - a.createdAt)
    return KIND_ORDER.map((kind) => ({ kind, list: byKind.get(kind)! }))
  }, [certificates])

  return (
    <table className="keys-table certificates-table" data-testid="certificates-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Subject and issuer</th>
          <th>Validity</th>
          <th>Status</th>
          <th>SHA-256</th>
          <th>Actions</th>
        </tr>
      </thead>
      {groups.map(({ kind, list }) => (
        <tbody key={kind} data-testid={`cert-group-${kind}`} data-count={list.length}>
          <tr className="cert-group-row">
            <th colSpan={CERTIFICATE_COLUMNS}>
              {KIND_LABELS[kind]} <span className="muted">{list.length}</span>
            </th>
          </tr>
          {list.length === 0 ? (
            <tr>
              <td colSpan={CERTIFICATE_COLUMNS} className="muted cert-empty">
                {EMPTY_TEXT[kind]}
              </td>
            </tr>
          ) : (
            list.map((cert) => <CertificateRow key={cert.id} cert={cert} />)
          )}
        </tbody>
      ))}
    </table>
  )
}

import type { X509Certificate } from 'node:crypto'
import type { CertificateStatus, CertificateSummary, ExpiryWarning } from '../../../shared/model/tls'
import { isIssuedBy, parseCertificate } from './cert-facts'
import type { StoredCertificate } from './certificate-store'

const DAY_MS = 24 * 60 * 60 * 1000

/** Days before expiry at which the UI starts warning (and server certificates are renewed). */
export const EXPIRY_WARNING_DAYS = 30

/** A stored certificate as the Certificates page lists it: no PEM, no key. */
export function summarize(stored: StoredCertificate, context: { now: number; localCa: X509Certificate | null; withinDays?: number }): CertificateSummary {
  const issuedByLocalCa = stored.kind !== 'ca' && context.localCa !== null && isIssuedBy(parseCertificate(stored.certPem), context.localCa)
  return {
    id: stored.id,
    kind: stored.kind,
    name: stored.name,
    subject: stored.subject,
    issuer: stored.issuer,
    serial: stored.serial,
    fingerprint256: stored.fingerprint256,
    notBefore: stored.notBefore,
    notAfter: stored.notAfter,
    hosts: stored.hosts,
    hasKey: stored.hasKey,
    issuedByLocalCa,
    status: certificateStatus(stored, context.now, context.withinDays),
    createdAt: stored.createdAt
  }
}

export function certificateStatus(cert: { notBefore: number; notAfter: number }, now: number, withinDays = EXPIRY_WARNING_DAYS): CertificateStatus {
  if (now < cert.notBefore) return 'not-yet-valid'
  if (now > cert.notAfter) return 'expired'
  if (cert.notAfter - now <= withinDays * DAY_MS) return 'expiring'
  return 'valid'
}

/** One warning per certificate that has expired or expires within `withinDays`. */
export function expiryWarningsFor(certs: StoredCertificate[], now: number, withinDays = EXPIRY_WARNING_DAYS): ExpiryWarning[] {
  const warnings: ExpiryWarning[] = []
  for (const cert of certs) {
    const left = cert.notAfter - now
    if (left > withinDays * DAY_MS) continue
    const daysLeft = Math.floor(left / DAY_MS)
    warnings.push({
      id: cert.id,
      kind: cert.kind,
      name: cert.name,
      notAfter: cert.notAfter,
      daysLeft,
      message: `${label(cert)} ${left < 0 ? `expired ${-daysLeft} day(s) ago` : `expires in ${daysLeft} day(s)`} (${new Date(cert.notAfter).toISOString()}); ${advice(cert)}`
    })
  }
  return warnings.sort((a, b) => a.notAfter - b.notAfter)
}

function label(cert: StoredCertificate): string {
  switch (cert.kind) {
    case 'ca':
      return `the local CA "${cert.name}"`
    case 'server':
      return `the server certificate for ${cert.hosts.join(', ')}`
    case 'client':
      return `the client certificate "${cert.name}"`
    case 'issuer':
      return `the trusted issuer "${cert.name}"`
  }
}

function advice(cert: StoredCertificate): string {
  switch (cert.kind) {
    case 'ca':
      return 'regenerate it, then trust the new CA certificate again where you installed the old one'
    case 'server':
      return 'Hookscope issues a fresh one the next time the endpoint starts'
    case 'client':
      return 'issue or import a new one and give it to the sender'
    case 'issuer':
      return 'import the sender’s new CA certificate'
  }
}

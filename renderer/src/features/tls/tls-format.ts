import type { CertificateKind, CertificateStatus, TlsFacts, TlsRejectionCode } from '../../../../shared/model/tls'

/** `127.0.0.1:5000`, `[::1]:5000`; "unknown" when the socket was gone before its address was read. */
export function formatRemote(address: string, port: number): string {
  if (!address) return port > 0 ? `unknown address:${port}` : 'unknown address'
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

/** What the user can do about a refused connection, by code. The engine's own sentence is shown above it. */
const REJECTION_HINTS: Record<TlsRejectionCode, string> = {
  ok: 'The client certificate was accepted, yet the connection was refused.',
  'no-certificate':
    'The client presented no certificate, and this endpoint requires one. Give the sender a client certificate, or set the endpoint to request (not require) client certificates.',
  'unknown-issuer':
    "The client certificate was not issued by one of this endpoint's trusted issuers. Import its issuer on the Certificates page and tick it in the endpoint's TLS settings.",
  expired: 'The client certificate has expired: issue or import a new one.',
  'not-yet-valid': "The client certificate is not valid yet: check the sender's clock, or the certificate's start date.",
  'self-signed': 'The client certificate is self-signed: import it as a trusted issuer to accept it.',
  'fingerprint-not-pinned': "The certificate is trusted, but its fingerprint is not among the endpoint's pinned fingerprints.",
  'protocol-version': 'The client offered only TLS versions this endpoint refuses (TLS 1.2 is the minimum).',
  'no-shared-cipher': 'The client and this endpoint have no cipher suite in common.',
  'no-application-protocol': 'The client asked for application protocols (ALPN) this endpoint does not speak; it speaks http/1.1.',
  'plain-http': 'The client spoke plain HTTP to an HTTPS endpoint: the sender should use an https:// URL.',
  'client-rejected-server-certificate':
    "The client refused Hookscope's server certificate: it does not trust the local CA. Download the CA certificate from the Certificates page and add it to the client's trust store.",
  'handshake-timeout': 'The client opened a connection but did not finish the TLS handshake in time.',
  'connection-reset': 'The client closed the connection during the TLS handshake.',
  'handshake-failed': 'The TLS handshake failed (details above).',
  'over-capacity':
    'Too many request bodies were waiting to be stored, so this request was refused with 503 and Retry-After. The sender should retry; if this keeps happening, the disk is too slow for the load.'
}

export function rejectionHint(code: TlsRejectionCode): string {
  return REJECTION_HINTS[code] ?? REJECTION_HINTS['handshake-failed']
}

/** Codes the Certificates page can fix: offer the way there. */
const CERTIFICATE_CODES = new Set<TlsRejectionCode>([
  'no-certificate',
  'unknown-issuer',
  'expired',
  'not-yet-valid',
  'self-signed',
  'fingerprint-not-pinned',
  'client-rejected-server-certificate'
])

export function certificatesCanFix(code: TlsRejectionCode): boolean {
  return CERTIFICATE_CODES.has(code)
}

export type ClientCertVerdict = 'not-requested' | 'authorized' | 'not-authorized'

export function clientCertVerdict(facts: TlsFacts): ClientCertVerdict {
  if (!facts.clientCertRequested) return 'not-requested'
  return facts.authorized ? 'authorized' : 'not-authorized'
}

export const VERDICT_LABELS: Record<ClientCertVerdict, string> = {
  'not-requested': 'not requested',
  authorized: 'authorized',
  'not-authorized': 'not authorized'
}

export const KIND_LABELS: Record<CertificateKind, string> = {
  ca: 'Local CA',
  server: 'Server certificates',
  client: 'Client certificates',
  issuer: 'Trusted issuers'
}

export const STATUS_LABELS: Record<CertificateStatus, string> = {
  valid: 'valid',
  expiring: 'expiring',
  expired: 'expired',
  'not-yet-valid': 'not yet valid'
}

/** The CN of an RFC 4514 style subject (`CN=acme, O=Acme` → `acme`), or the whole subject. */
export function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1]?.trim() ?? subject
}

/** One entry per line (or comma / whitespace separated), trimmed, empties and duplicates dropped. */
export function splitList(text: string): string[] {
  const seen = new Set<string>()
  for (const part of text.split(/[\s,]+/)) {
    const item = part.trim()
    if (item) seen.add(item)
  }
  return [...seen]
}

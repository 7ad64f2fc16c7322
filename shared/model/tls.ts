/**
 * TLS endpoints, the local certificate authority and the certificates it keeps. Pure types: the
 * engine (electron/engine/tls) fills them, the UI and the CLI only display them.
 */

/** How an endpoint listens. `https+mtls` also asks the sender for a client certificate. */
export type EndpointTlsMode = 'http' | 'https' | 'https+mtls'

/** `request`: record whatever the client presents and accept; `require`: refuse without a good one. */
export type ClientCertMode = 'request' | 'require'

/** Suggested endpoint settings for TLS (the endpoint config owns them). */
export interface EndpointTlsConfig {
  mode: EndpointTlsMode
  /** Only for `https+mtls`. */
  clientCert: ClientCertMode
  /** Certificate ids of kind `issuer`, or `local-ca` for the current local CA. */
  trustedIssuerIds: string[]
  /** SHA-256 fingerprints of accepted client (leaf) certificates; empty: no pinning. */
  pinnedFingerprints: string[]
  /** Extra names and addresses for the server certificate, besides localhost, 127.0.0.1 and ::1. */
  extraHosts: string[]
}

/** Why a client certificate was (not) accepted. Stable codes: the UI switches on them. */
export type ClientCertReason = 'ok' | 'no-certificate' | 'unknown-issuer' | 'expired' | 'not-yet-valid' | 'self-signed' | 'fingerprint-not-pinned'

/** What a delivery shows about one certificate. */
export interface CertFacts {
  /** RFC 4514 style, most specific first: `CN=acme-sender, O=Acme`. */
  subject: string
  issuer: string
  /** Upper-case hex, as OpenSSL prints it. */
  serial: string
  /** Upper-case hex pairs separated by colons. */
  fingerprint256: string
  /** Epoch ms. */
  validFrom: number
  validTo: number
  /** `DNS:example.test`, `IP:127.0.0.1`, `email:...`, `URI:...`. */
  sans: string[]
}

/** Recorded for every delivery that arrived over TLS. */
export interface TlsFacts {
  /** `TLSv1.3`, `TLSv1.2`. */
  version: string | null
  /** IANA name, e.g. `TLS_AES_256_GCM_SHA384`. */
  cipher: string | null
  /** Server name the client asked for; null when it sent none (e.g. connecting to an IP). */
  sni: string | null
  /** Negotiated application protocol, e.g. `http/1.1`; null when the client offered none. */
  alpn: string | null
  /** The leaf the client presented, or null. */
  clientCert: CertFacts | null
  /** Leaf first, then what the client sent (or what we found) up to the trusted issuer. */
  chain: CertFacts[]
  /** Only meaningful when a client certificate was requested. */
  clientCertRequested: boolean
  authorized: boolean
  reason: ClientCertReason
  /** A sentence for people, e.g. which issuer was unknown. */
  detail: string
}

/** Why a TLS connection never carried a request. */
export type TlsRejectionCode =
  | ClientCertReason
  | 'protocol-version'
  | 'no-shared-cipher'
  | 'no-application-protocol'
  | 'plain-http'
  | 'client-rejected-server-certificate'
  | 'handshake-timeout'
  | 'connection-reset'
  | 'handshake-failed'
  /** Not TLS: a request refused with 503 because too many request bodies were waiting to be stored. */
  | 'over-capacity'

/** What the ClientHello said, read before the handshake so refused handshakes can show it. */
export interface ClientHelloFacts {
  /** Highest version offered, e.g. `TLSv1.1`. */
  maxVersion: string | null
  /** Every version offered (GREASE left out), highest first. */
  versions: string[]
  sni: string | null
  alpn: string[]
}

/** A connection listed without a delivery: the handshake failed, or `require` refused the client. */
export interface TlsRejection {
  code: TlsRejectionCode
  /** A sentence, e.g. "protocol version TLS 1.1 refused: TLS 1.2 minimum". */
  reason: string
  /** Present when the handshake completed (client-certificate refusals). */
  facts: TlsFacts | null
  /** Present when the ClientHello could be read. */
  hello: ClientHelloFacts | null
}

export type CertificateKind = 'ca' | 'server' | 'client' | 'issuer'

export type CertificateStatus = 'valid' | 'expiring' | 'expired' | 'not-yet-valid'

/** One row of the Certificates page. Never carries key material. */
export interface CertificateSummary {
  id: string
  kind: CertificateKind
  name: string
  subject: string
  issuer: string
  serial: string
  fingerprint256: string
  notBefore: number
  notAfter: number
  /** Server certificates: the names and addresses covered. */
  hosts: string[]
  /** Whether Hookscope holds (sealed) the private key. */
  hasKey: boolean
  /** Issued by the current local CA. */
  issuedByLocalCa: boolean
  status: CertificateStatus
  createdAt: number
}

export interface ExpiryWarning {
  id: string
  kind: CertificateKind
  name: string
  notAfter: number
  /** Negative once expired. */
  daysLeft: number
  message: string
}

/** Trusted-issuer id that always means "whatever the local CA currently is". */
export const LOCAL_CA_ISSUER_ID = 'local-ca'

/**
 * How long client certificates from the local CA are valid. Not bound by browser rules; two
 * years spares users frequent re-issuing. The engine issues them so and the UI says so.
 */
export const CLIENT_CERT_VALIDITY_DAYS = 730

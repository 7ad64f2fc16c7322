import { X509Certificate } from 'node:crypto'
import { isIPv6 } from 'node:net'
import { EngineError } from '../../../shared/errors'
import type { CertFacts } from '../../../shared/model/tls'

/**
 * Turns node:crypto's X509Certificate into the plain facts deliveries and the Certificates page
 * show. node:crypto (OpenSSL) parses every key type a sender may use, where node-forge only
 * understands RSA, so everything that *reads* certificates goes through here.
 */
export function certFacts(cert: X509Certificate): CertFacts {
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    serial: cert.serialNumber.toUpperCase(),
    fingerprint256: cert.fingerprint256.toUpperCase(),
    validFrom: parseOpenSslDate(cert.validFrom),
    validTo: parseOpenSslDate(cert.validTo),
    sans: subjectAltNames(cert.subjectAltName)
  }
}

/**
 * Node prints names one attribute per line, least specific first (`C=US\nO=Acme\nCN=x`), with
 * RFC 2253 escaping already applied (`O=Acme\, Inc.`), so splitting on newlines is safe. RFC 4514
 * lists the most specific attribute first, which is also what people expect to read first.
 */
export function distinguishedName(nodeName: string | undefined): string {
  if (!nodeName) return ''
  return nodeName
    .split('\n')
    .filter((part) => part.length > 0)
    .reverse()
    .join(', ')
}

/** `validFrom` is OpenSSL's `Mon DD HH:MM:SS YYYY GMT`, which Date.parse reads. */
function parseOpenSslDate(text: string): number {
  const ms = Date.parse(text)
  if (Number.isNaN(ms)) throw new EngineError('INTERNAL', `unreadable certificate date "${text}"`)
  return ms
}

const SAN_PREFIX = /, (?=(?:DNS|IP Address|email|URI|DirName|othername|Registered ID):)/

/**
 * `DNS:a, IP Address:0:0:0:0:0:0:0:1` → `['DNS:a', 'IP:::1']`. Node quotes values that contain
 * separators, so splitting only before a known type prefix keeps such values whole.
 */
export function subjectAltNames(text: string | undefined): string[] {
  if (!text) return []
  return text.split(SAN_PREFIX).map((entry) => {
    if (!entry.startsWith('IP Address:')) return entry
    const address = entry.slice('IP Address:'.length)
    return `IP:${isIPv6(address) ? compressIPv6(address) : address}`
  })
}

/** OpenSSL prints IPv6 SANs uncompressed; the URL parser gives the canonical short form. */
export function compressIPv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1)
  } catch {
    return address
  }
}

/** Fingerprints as users paste them: any case, with or without colons or spaces. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[\s:]/g, '').toUpperCase()
}

export function isSha256Fingerprint(fingerprint: string): boolean {
  return /^[0-9A-F]{64}$/.test(normalizeFingerprint(fingerprint))
}

/** `AB:CD:...`, the form OpenSSL and browsers display. */
export function formatFingerprint(fingerprint: string): string {
  return normalizeFingerprint(fingerprint).replace(/(..)(?!$)/g, '$1:')
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g

/** Every certificate block in a PEM text, in order; other blocks (keys, CRLs) are ignored. */
export function splitPemCertificates(pem: string): string[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => block + '\n')
}

/** Parses one PEM certificate, turning OpenSSL's error into a sentence about the input. */
export function parseCertificate(pem: string, what = 'certificate'): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch (error) {
    throw new EngineError('BAD_INPUT', `${what} is not a readable X.509 certificate: ${(error as Error).message}`)
  }
}

/** True when `issuer` signed `subject`: names match and the signature verifies. */
export function isIssuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey)
  } catch {
    return false
  }
}

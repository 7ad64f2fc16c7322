import { X509Certificate } from 'node:crypto'

/**
 * Certificates with node:crypto's X509Certificate: parsing PEM chains, serial numbers (WeChat Pay
 * selects its platform certificate by serial), validity at a given instant, and `x5c`
 * path building to pinned roots. Everything judged "at" a time is judged at the delivery's
 * arrival, never the wall clock.
 */
const MAX_CHAIN = 10

export function parseCertificates(text: string | undefined, field = 'certificate'): { ok: true; certs: X509Certificate[] } | { ok: false; error: string } {
  const blocks = (text ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) return { ok: false, error: `the ${field} field holds no PEM certificate (-----BEGIN CERTIFICATE-----)` }
  if (blocks.length > MAX_CHAIN) return { ok: false, error: `the ${field} field holds more than ${MAX_CHAIN} certificates` }
  const certs: X509Certificate[] = []
  for (const [index, block] of blocks.entries()) {
    try {
      certs.push(new X509Certificate(block))
    } catch {
      return { ok: false, error: `certificate ${index + 1} in the ${field} field is not a valid X.509 certificate` }
    }
  }
  return { ok: true, certs }
}

/** Certificates from an `x5c` header: standard base64 DER, leaf first. */
export function certificatesFromX5c(x5c: unknown): { ok: true; certs: X509Certificate[] } | { ok: false; error: string } {
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((c) => typeof c === 'string'))
    return { ok: false, error: 'x5c is not a non-empty array of strings' }
  if (x5c.length > MAX_CHAIN) return { ok: false, error: `x5c has more than ${MAX_CHAIN} certificates` }
  const certs: X509Certificate[] = []
  for (const [index, entry] of (x5c as string[]).entries()) {
    try {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) throw new Error('not base64')
      certs.push(new X509Certificate(Buffer.from(entry, 'base64')))
    } catch {
      return { ok: false, error: `x5c[${index}] is not a base64 DER certificate` }
    }
  }
  return { ok: true, certs }
}

/** Upper-case hex without colons or leading zeros: how serials compare. */
export function normalizeSerial(serial: string): string {
  return serial
    .replace(/[:\s]/g, '')
    .toUpperCase()
    .replace(/^0+(?=.)/, '')
}

export function commonName(cert: X509Certificate): string {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1]
  return cn ?? cert.subject.split('\n')[0] ?? 'certificate'
}

export function validity(cert: X509Certificate): { notBefore: number; notAfter: number } {
  return { notBefore: Date.parse(cert.validFrom), notAfter: Date.parse(cert.validTo) }
}

/** A sentence when `cert` is not valid at `at` (ms), else null. */
export function checkValidAt(cert: X509Certificate, at: number, name = `"${commonName(cert)}"`): string | null {
  const { notBefore, notAfter } = validity(cert)
  if (!Number.isFinite(notBefore) || !Number.isFinite(notAfter)) return `${name} has unreadable validity dates`
  if (at < notBefore) return `${name} is not valid until ${new Date(notBefore).toISOString()} (the delivery arrived ${new Date(at).toISOString()})`
  if (at > notAfter) return `${name} expired on ${new Date(notAfter).toISOString()} (the delivery arrived ${new Date(at).toISOString()})`
  return null
}

export type ChainResult = { ok: true; leaf: X509Certificate; anchor: X509Certificate; path: X509Certificate[]; detail: string } | { ok: false; reason: string }

/**
 * Builds the path from the leaf (chain[0]) to a trusted root at instant `at`, and stops there:
 * each certificate on the path is issued by the next (names and signature), every issuer is a CA,
 * all are within their validity, and the path ends at a pinned root (the certificate itself is a
 * root, or a root issued and signed it). Certificates after that point are ignored, as Apple's App
 * Store Server Library ignores x5c[2]: a sender may append its own copy of a root, or anything else,
 * without failing the check, but an extra certificate never stands in for a missing link.
 */
export function verifyChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[], at: number): ChainResult {
  if (chain.length === 0) return { ok: false, reason: 'the chain is empty' }
  if (roots.length === 0) return { ok: false, reason: 'no trusted root certificate is configured' }
  const name = (index: number) => `certificate ${index + 1} of the chain ("${commonName(chain[index]!)}")`
  const path: X509Certificate[] = []
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!
    const expired = checkValidAt(cert, at, name(i))
    if (expired) return { ok: false, reason: expired }
    path.push(cert)
    const ignored = chain.length - path.length
    const extra = ignored > 0 ? `; ${ignored} more certificate(s) in the chain not needed and ignored` : ''
    const pinned = roots.find((root) => root.fingerprint256 === cert.fingerprint256)
    if (pinned) {
      return {
        ok: true,
        leaf: chain[0]!,
        anchor: pinned,
        path,
        detail: `${path.length} certificate(s), ending at the trusted root "${commonName(pinned)}"${extra}`
      }
    }
    const anchor = roots.find((root) => cert.checkIssued(root) && verifySignedBy(cert, root))
    if (anchor) {
      if (!anchor.ca) return { ok: false, reason: `the trusted root "${commonName(anchor)}" is not a CA certificate` }
      const rootExpired = checkValidAt(anchor, at, `the trusted root "${commonName(anchor)}"`)
      if (rootExpired) return { ok: false, reason: rootExpired }
      return { ok: true, leaf: chain[0]!, anchor, path, detail: `${path.length} certificate(s), issued by the trusted root "${commonName(anchor)}"${extra}` }
    }
    const issuer = chain[i + 1]
    if (!issuer) return { ok: false, reason: `${name(i)} is not issued by a trusted root (issuer "${issuerCommonName(cert)}")` }
    if (!cert.checkIssued(issuer)) return { ok: false, reason: `${name(i)} was not issued by ${name(i + 1)}` }
    if (!issuer.ca) return { ok: false, reason: `${name(i + 1)} is not a CA certificate, so it cannot issue ${name(i)}` }
    if (!verifySignedBy(cert, issuer)) return { ok: false, reason: `the signature on ${name(i)} does not verify with the key of ${name(i + 1)}` }
  }
  // Unreachable: the last certificate either reaches a root or has no issuer in the chain.
  return { ok: false, reason: 'the chain does not reach a trusted root' }
}

function verifySignedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey)
  } catch {
    return false
  }
}

function issuerCommonName(cert: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.issuer)?.[1] ?? cert.issuer.split('\n')[0] ?? 'unknown'
}

import { X509Certificate } from 'node:crypto'
import type { CertFacts, ClientCertReason } from '../../../shared/model/tls'
import { certFacts, isIssuedBy, normalizeFingerprint } from './cert-facts'

/** The parts of tls.PeerCertificate / DetailedPeerCertificate this needs. */
export interface PeerCertificateLike {
  raw?: Buffer
  issuerCertificate?: PeerCertificateLike
}

export interface ClientCertPolicy {
  trustedIssuers: X509Certificate[]
  /** SHA-256 fingerprints in any common spelling; empty: no pinning. */
  pinnedFingerprints: string[]
  now: number
}

export interface ClientCertEvaluation {
  authorized: boolean
  reason: ClientCertReason
  detail: string
  /** Leaf first. The verified path up to the trusted issuer when there is one, else what the client sent. */
  chain: CertFacts[]
}

/** Longest path accepted: leaf, a few intermediates, the trusted issuer. */
const MAX_DEPTH = 8

/**
 * Judges a client certificate ourselves instead of letting OpenSSL refuse the handshake, so every
 * outcome can be recorded with a precise reason. Order: trust (unknown issuer / self-signed),
 * then validity dates along the path, then pinning; the first failure is the reason.
 *
 * `peer` is `socket.getPeerCertificate(true)`: an empty object when the client sent nothing.
 * Pinning applies to the leaf only; pinning an issuer would just be trusting it.
 */
export function evaluateClientCertificate(peer: PeerCertificateLike | null | undefined, policy: ClientCertPolicy): ClientCertEvaluation {
  const presented = presentedChain(peer)
  const leaf = presented[0]
  if (!leaf) {
    return { authorized: false, reason: 'no-certificate', detail: 'the client sent no certificate', chain: [] }
  }
  const leafFacts = certFacts(leaf)
  const path = buildPath(leaf, presented, policy.trustedIssuers)
  if (!path) {
    const chain = presented.map(certFacts)
    if (isIssuedBy(leaf, leaf)) {
      return {
        authorized: false,
        reason: 'self-signed',
        detail: `the client certificate ${leafFacts.subject} is self-signed and not among this endpoint's trusted issuers`,
        chain
      }
    }
    const top = presented[presented.length - 1]!
    const detail =
      policy.trustedIssuers.length === 0
        ? `this endpoint trusts no issuer yet; import the CA that issued ${leafFacts.subject} (${leafFacts.issuer})`
        : `${leafFacts.subject} chains to ${certFacts(top).issuer}, which is not among this endpoint's trusted issuers`
    return { authorized: false, reason: 'unknown-issuer', detail, chain }
  }
  const chain = path.map(certFacts)
  for (const facts of chain) {
    const which = facts === chain[0] ? 'the client certificate' : `its issuer ${facts.subject}`
    if (policy.now < facts.validFrom) {
      return {
        authorized: false,
        reason: 'not-yet-valid',
        detail: `${which} is not valid before ${new Date(facts.validFrom).toISOString()}`,
        chain
      }
    }
    if (policy.now > facts.validTo) {
      return { authorized: false, reason: 'expired', detail: `${which} expired on ${new Date(facts.validTo).toISOString()}`, chain }
    }
  }
  if (policy.pinnedFingerprints.length > 0) {
    const pins = new Set(policy.pinnedFingerprints.map(normalizeFingerprint))
    if (!pins.has(normalizeFingerprint(leafFacts.fingerprint256))) {
      return {
        authorized: false,
        reason: 'fingerprint-not-pinned',
        detail: `the client certificate's SHA-256 fingerprint ${leafFacts.fingerprint256} is not among the ${pins.size} pinned`,
        chain
      }
    }
  }
  return { authorized: true, reason: 'ok', detail: `issued by trusted ${chain[chain.length - 1]!.subject}`, chain }
}

/**
 * Node links each certificate to its issuer (`issuerCertificate`), ending with a self-reference at
 * a root; it may also have appended issuers from the server's own `ca` list. Cycles and depth
 * are bounded because the structure comes from the network.
 */
function presentedChain(peer: PeerCertificateLike | null | undefined): X509Certificate[] {
  const chain: X509Certificate[] = []
  const seen = new Set<string>()
  let node = peer
  while (node?.raw && chain.length < MAX_DEPTH) {
    let cert: X509Certificate
    try {
      cert = new X509Certificate(node.raw)
    } catch {
      break
    }
    if (seen.has(cert.fingerprint256)) break
    seen.add(cert.fingerprint256)
    chain.push(cert)
    node = node.issuerCertificate
  }
  return chain
}

/**
 * leaf → (intermediates the client sent) → a trusted issuer, each link checked by name and
 * signature; intermediates must be CA certificates. null when no trusted issuer is reached.
 */
function buildPath(leaf: X509Certificate, presented: X509Certificate[], trusted: X509Certificate[]): X509Certificate[] | null {
  const trustedFingerprints = new Set(trusted.map((cert) => cert.fingerprint256))
  const path = [leaf]
  let current = leaf
  while (path.length <= MAX_DEPTH) {
    // Directly trusted (a trusted issuer presented as part of the chain, or as the leaf itself).
    if (trustedFingerprints.has(current.fingerprint256)) return path
    const anchor = trusted.find((issuer) => isIssuedBy(current, issuer))
    if (anchor) return [...path, anchor]
    const next = presented.find((cert) => cert.ca && !path.includes(cert) && isIssuedBy(current, cert))
    if (!next) return null
    path.push(next)
    current = next
  }
  return null
}

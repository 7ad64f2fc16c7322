import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto'
import { isIP } from 'node:net'
import forge from 'node-forge'
import { EngineError } from '../../../shared/errors'
import { type CertificateSummary, CLIENT_CERT_VALIDITY_DAYS, type ExpiryWarning } from '../../../shared/model/tls'
import type { Clock, Logger } from '../engine-types'
import { compressIPv6, isIssuedBy } from './cert-facts'
import type { CertificateStore, StoredCertificate } from './certificate-store'
import { EXPIRY_WARNING_DAYS, expiryWarningsFor, summarize } from './certificate-summary'

const DAY_MS = 24 * 60 * 60 * 1000
const CA_VALIDITY_DAYS = 3650
/** The CA/Browser Forum ceiling; Apple platforms reject longer-lived server certificates. */
const SERVER_VALIDITY_DAYS = 397
/** Backdating absorbs small clock differences between Hookscope and the peer. */
const BACKDATE_MS = 5 * 60 * 1000

/** Names every server certificate covers, so `https://localhost:PORT` works in any form. */
export const DEFAULT_SERVER_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1']

/** A certificate with its key in clear, for a listener or an export. Never stored like this. */
export interface IssuedCertificate {
  id: string
  certPem: string
  keyPem: string
  /** The CA certificate (PEM): what peers need to trust, and what a client sends after its leaf. */
  caPem: string
  stored: StoredCertificate
}

export interface ClientCertificateRequest {
  /** Becomes the subject CN. */
  name: string
  /** Epoch ms; defaults to now (backdated a few minutes). Tests use past/future dates. */
  validFrom?: number
  validTo?: number
}

/**
 * The local certificate authority. RSA 2048 throughout: every TLS stack and trust store accepts
 * it, and node-forge (which builds the certificates) only signs with RSA. Keys are generated with
 * node:crypto (OpenSSL, milliseconds) rather than forge's pure-JS generator (seconds).
 *
 * Every method that signs needs the CA key, so it throws VAULT_LOCKED while the keyring is locked;
 * reading and exporting the CA certificate does not.
 */
export class LocalCa {
  constructor(
    private readonly store: CertificateStore,
    private readonly deps: { clock: Clock; logger: Logger }
  ) {}

  /** The current CA certificate, or undefined before first use. Needs no unlocked keyring. */
  current(): StoredCertificate | undefined {
    const cas = this.store.list('ca')
    return cas[cas.length - 1]
  }

  /** Creates the CA on first use; afterwards returns the existing one. */
  ensureCa(): StoredCertificate {
    const existing = this.current()
    if (existing) return existing
    const created = this.createCaMaterial()
    return this.store.transaction(() => {
      // Another call may have won the race between the check above and this transaction.
      const raced = this.current()
      if (raced) return raced
      return this.store.insert({ kind: 'ca', name: created.name, certPem: created.certPem, keyPem: created.keyPem })
    })
  }

  /**
   * A new CA replaces the current one. The old one is kept as a trusted issuer without its key
   * (see CertificateStore.retireCa); server certificates it signed are dropped and re-issued on
   * the next endpoint start. Client certificates stay: a sender may still be using them.
   */
  regenerateCa(): StoredCertificate {
    const created = this.createCaMaterial()
    return this.store.transaction(() => {
      const now = this.deps.clock.now()
      for (const old of this.store.list('ca')) {
        if (this.store.findByFingerprint('issuer', old.fingerprint256)) this.store.remove(old.id)
        else this.store.retireCa(old.id, `${old.name} (retired ${new Date(now).toISOString().slice(0, 10)})`)
      }
      for (const server of this.store.list('server')) this.store.remove(server.id)
      const ca = this.store.insert({ kind: 'ca', name: created.name, certPem: created.certPem, keyPem: created.keyPem })
      this.deps.logger.info('local CA regenerated', { id: ca.id, fingerprint256: ca.fingerprint256 })
      return ca
    })
  }

  /**
   * A server certificate for localhost, 127.0.0.1, ::1 plus `extraHosts`. Reuses the newest one
   * for the same host set while it is signed by the current CA and not within the warning window
   * of its expiry, so restarting an endpoint does not churn certificates; otherwise issues a new
   * one and drops the superseded ones.
   */
  issueServerCertificate(extraHosts: string[] = [], options: { force?: boolean } = {}): IssuedCertificate {
    const hosts = normalizeHosts([...DEFAULT_SERVER_HOSTS, ...extraHosts])
    const ca = this.ensureCa()
    const caCert = new X509Certificate(ca.certPem)
    const now = this.deps.clock.now()
    if (!options.force) {
      const reusable = this.store
        .serversFor(hosts)
        .find(
          (server) =>
            server.hasKey &&
            server.notBefore <= now &&
            server.notAfter - now > EXPIRY_WARNING_DAYS * DAY_MS &&
            isIssuedBy(new X509Certificate(server.certPem), caCert)
        )
      if (reusable) return { id: reusable.id, certPem: reusable.certPem, keyPem: this.store.privateKeyPem(reusable.id), caPem: ca.certPem, stored: reusable }
    }
    const { certPem, keyPem } = this.sign(ca, {
      commonName: hosts.find((host) => !isIP(host)) ?? hosts[0]!,
      organization: 'Hookscope',
      notBefore: now - BACKDATE_MS,
      notAfter: now + SERVER_VALIDITY_DAYS * DAY_MS,
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: hosts.map((host) => (isIP(host) ? { type: 7, ip: host } : { type: 2, value: host })) }
      ]
    })
    return this.store.transaction(() => {
      const superseded = this.store.serversFor(hosts)
      const stored = this.store.insert({ kind: 'server', name: hosts.join(', '), certPem, keyPem, chainPem: ca.certPem, hosts })
      for (const old of superseded) this.store.remove(old.id)
      return { id: stored.id, certPem, keyPem, caPem: ca.certPem, stored }
    })
  }

  /** A client certificate (EKU clientAuth) for simulating a provider that sends with mTLS. */
  issueClientCertificate(request: ClientCertificateRequest): IssuedCertificate {
    const name = request.name.trim()
    if (name.length === 0 || name.length > 64) throw new EngineError('BAD_INPUT', 'a client certificate needs a name of 1 to 64 characters')
    const now = this.deps.clock.now()
    const notBefore = request.validFrom ?? now - BACKDATE_MS
    const notAfter = request.validTo ?? notBefore + BACKDATE_MS + CLIENT_CERT_VALIDITY_DAYS * DAY_MS
    if (!(notAfter > notBefore)) throw new EngineError('BAD_INPUT', 'validTo must be after validFrom')
    const ca = this.ensureCa()
    const { certPem, keyPem } = this.sign(ca, {
      commonName: name,
      organization: 'Hookscope client',
      notBefore,
      notAfter,
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true }
      ]
    })
    const stored = this.store.insert({ kind: 'client', name, certPem, keyPem, chainPem: ca.certPem })
    return { id: stored.id, certPem, keyPem, caPem: ca.certPem, stored }
  }

  /** Every stored certificate (CA, server, client, issuer) that has expired or expires soon. */
  expiryWarnings(now: number = this.deps.clock.now(), withinDays = EXPIRY_WARNING_DAYS): ExpiryWarning[] {
    return expiryWarningsFor(this.store.list(), now, withinDays)
  }

  /** The Certificates page: every stored certificate, summarized. */
  summaries(now: number = this.deps.clock.now()): CertificateSummary[] {
    const ca = this.current()
    const localCa = ca ? new X509Certificate(ca.certPem) : null
    return this.store.list().map((stored) => summarize(stored, { now, localCa }))
  }

  private createCaMaterial(): { name: string; certPem: string; keyPem: string } {
    const now = this.deps.clock.now()
    // A random suffix tells two installations' CAs apart in a trust store listing.
    const name = `Hookscope Local CA ${randomBytes(3).toString('hex')}`
    const keys = generateRsaKeys()
    const cert = forge.pki.createCertificate()
    cert.publicKey = keys.publicKey
    cert.serialNumber = randomSerial()
    cert.validity.notBefore = new Date(now - BACKDATE_MS)
    cert.validity.notAfter = new Date(now + CA_VALIDITY_DAYS * DAY_MS)
    // Least specific first, as X.509 names are conventionally written (shown as `CN=..., O=...`).
    const subject = [
      { name: 'organizationName', value: 'Hookscope' },
      { name: 'commonName', value: name }
    ]
    cert.setSubject(subject)
    cert.setIssuer(subject)
    cert.setExtensions([
      // pathlen 0: this CA signs only leaves, never another CA.
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' }
    ])
    cert.sign(keys.privateKey, forge.md.sha256.create())
    this.deps.logger.info('local CA created', { name })
    return { name, certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem }
  }

  private sign(
    ca: StoredCertificate,
    spec: { commonName: string; organization: string; notBefore: number; notAfter: number; extensions: object[] }
  ): { certPem: string; keyPem: string } {
    const caCert = forge.pki.certificateFromPem(ca.certPem)
    const caKey = forge.pki.privateKeyFromPem(this.store.privateKeyPem(ca.id))
    const keys = generateRsaKeys()
    const cert = forge.pki.createCertificate()
    cert.publicKey = keys.publicKey
    cert.serialNumber = randomSerial()
    cert.validity.notBefore = new Date(spec.notBefore)
    cert.validity.notAfter = new Date(spec.notAfter)
    cert.setSubject([
      { name: 'organizationName', value: spec.organization },
      { name: 'commonName', value: spec.commonName }
    ])
    cert.setIssuer(caCert.subject.attributes)
    cert.setExtensions([
      ...spec.extensions,
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() }
    ])
    cert.sign(caKey, forge.md.sha256.create())
    return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem }
  }
}

/** RSA 2048 from OpenSSL, handed to forge for signing. */
function generateRsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privateKeyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 })
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
  const forgeKey = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), privateKeyPem }
}

/**
 * 16 random bytes as a positive DER INTEGER: the top bit is cleared (negative otherwise) and the
 * first byte kept non-zero, since forge writes the hex as-is and a leading zero byte would be a
 * non-minimal encoding that strict parsers reject.
 */
function randomSerial(): string {
  const bytes = randomBytes(16)
  bytes[0] = bytes[0]! & 0x7f || 0x01
  return bytes.toString('hex')
}

/**
 * Lower-case names, canonical IP forms (`0:0::1` → `::1`), duplicates removed, sorted: the same
 * host set always gives the same list, which is how an existing certificate is found again.
 */
export function normalizeHosts(hosts: string[]): string[] {
  const normalized = new Set<string>()
  for (const raw of hosts) {
    const host = raw
      .trim()
      .replace(/^\[(.*)\]$/, '$1')
      .toLowerCase()
    const family = isIP(host)
    if (family === 6) normalized.add(compressIPv6(host))
    else if (family === 4) normalized.add(host)
    else if (isDnsName(host)) normalized.add(host.replace(/\.$/, ''))
    else throw new EngineError('BAD_INPUT', `"${raw}" is neither a host name nor an IP address`)
  }
  return [...normalized].sort()
}

/** LDH labels, optionally a leading `*.` wildcard (which TLS clients match one label deep). */
function isDnsName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false
  const labels = host.replace(/\.$/, '').split('.')
  return labels.every((label, index) => (index === 0 && label === '*' && labels.length > 2) || /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))
}

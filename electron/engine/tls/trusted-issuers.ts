import { X509Certificate } from 'node:crypto'
import { EngineError } from '../../../shared/errors'
import { LOCAL_CA_ISSUER_ID } from '../../../shared/model/tls'
import { certFacts, parseCertificate, splitPemCertificates } from './cert-facts'
import type { CertificateStore, StoredCertificate } from './certificate-store'
import type { LocalCa } from './local-ca'

/**
 * CA certificates an mTLS endpoint accepts client certificates from: the sender's CA, imported
 * as PEM. Certificates only; a trusted issuer's key is never needed (or wanted).
 */
export class TrustedIssuers {
  constructor(
    private readonly store: CertificateStore,
    private readonly localCa: LocalCa
  ) {}

  /**
   * Imports every certificate in `pem` (a single CA or a bundle). All of them must be CA
   * certificates, or nothing is imported: a leaf in a trust list would be a silent mistake.
   * Already-known issuers are returned as they are, so importing a bundle twice is harmless.
   */
  importPem(pem: string, name?: string): StoredCertificate[] {
    const blocks = splitPemCertificates(pem)
    if (blocks.length === 0) throw new EngineError('BAD_INPUT', 'no PEM certificate (-----BEGIN CERTIFICATE-----) found')
    const certs = blocks.map((block, index) => parseCertificate(block, `certificate ${index + 1}`))
    certs.forEach((cert, index) => {
      if (!cert.ca) {
        throw new EngineError(
          'BAD_INPUT',
          `certificate ${index + 1} (${certFacts(cert).subject}) is not a CA certificate (basicConstraints CA:TRUE); import the issuer that signs the sender's client certificates`
        )
      }
    })
    return this.store.transaction(() =>
      certs.map((cert, index) => {
        const facts = certFacts(cert)
        const known = this.store.findByFingerprint('issuer', facts.fingerprint256)
        if (known) return known
        const label = name && certs.length > 1 ? `${name} (${index + 1})` : (name ?? commonName(cert) ?? facts.subject)
        return this.store.insert({ kind: 'issuer', name: label, certPem: cert.toString() })
      })
    )
  }

  list(): StoredCertificate[] {
    return this.store.list('issuer')
  }

  remove(id: string): boolean {
    this.store.require(id, 'issuer')
    return this.store.remove(id)
  }

  /**
   * Certificates for the ids an endpoint trusts, parsed once per listener start rather than per
   * connection. `local-ca` means the current local CA (so regenerating it needs no config
   * change). Unknown ids are errors: an endpoint that silently trusts fewer issuers than its
   * config says would refuse senders for no visible reason.
   */
  resolve(ids: string[]): X509Certificate[] {
    return ids.map((id) => {
      if (id === LOCAL_CA_ISSUER_ID) return new X509Certificate(this.localCa.ensureCa().certPem)
      const stored = this.store.get(id)
      if (!stored || (stored.kind !== 'issuer' && stored.kind !== 'ca')) {
        throw new EngineError('NOT_FOUND', `trusted issuer ${id} is not in the certificate store`)
      }
      return new X509Certificate(stored.certPem)
    })
  }
}

/**
 * Stores a client certificate the user already has (a provider's test certificate, one from a
 * corporate CA). `certPem` may carry the chain after the leaf; the key is checked against the
 * leaf and sealed.
 */
export function importClientCertificate(store: CertificateStore, certPem: string, keyPem: string, name?: string): StoredCertificate {
  const blocks = splitPemCertificates(certPem)
  if (blocks.length === 0) throw new EngineError('BAD_INPUT', 'no PEM certificate (-----BEGIN CERTIFICATE-----) found')
  const [leafPem, ...chain] = blocks as [string, ...string[]]
  const leaf = parseCertificate(leafPem, 'the client certificate')
  for (const [index, pem] of chain.entries()) parseCertificate(pem, `chain certificate ${index + 1}`)
  return store.insert({
    kind: 'client',
    name: name?.trim() || commonName(leaf) || certFacts(leaf).subject,
    certPem: leafPem,
    chainPem: chain.length > 0 ? chain.join('') : null,
    keyPem
  })
}

function commonName(cert: X509Certificate): string | undefined {
  return cert.subject
    .split('\n')
    .find((part) => part.startsWith('CN='))
    ?.slice(3)
}

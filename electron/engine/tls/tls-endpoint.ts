import type { ServerOptions } from 'node:https'
import { EngineError } from '../../../shared/errors'
import type { EndpointTlsConfig } from '../../../shared/model/tls'
import { isSha256Fingerprint, normalizeFingerprint } from './cert-facts'
import type { LocalCa } from './local-ca'
import { type MtlsPolicy, tlsServerOptions } from './tls-server-options'
import type { TrustedIssuers } from './trusted-issuers'

export interface PreparedTlsEndpoint {
  /** Spread into `https.createServer` options. */
  serverOptions: ServerOptions
  /** Pass to judgeConnection; null for plain https. */
  mtls: MtlsPolicy | null
  serverCertificateId: string
}

/**
 * Everything a listener needs to start an https or https+mtls endpoint, done once per start:
 * the CA exists, the server certificate is issued or reused (renewed near expiry), trusted
 * issuers are resolved and pins checked. Returns null for http. Throws VAULT_LOCKED while the
 * keyring is locked (the server key is sealed), BAD_INPUT for a malformed pin, NOT_FOUND for an
 * unknown issuer id.
 */
export function prepareTlsEndpoint(
  deps: { localCa: LocalCa; issuers: TrustedIssuers },
  config: EndpointTlsConfig,
  options: { handshakeTimeoutMs?: number } = {}
): PreparedTlsEndpoint | null {
  if (config.mode === 'http') return null
  const server = deps.localCa.issueServerCertificate(config.extraHosts)
  let mtls: MtlsPolicy | null = null
  if (config.mode === 'https+mtls') {
    const bad = config.pinnedFingerprints.find((pin) => !isSha256Fingerprint(pin))
    if (bad !== undefined) throw new EngineError('BAD_INPUT', `"${bad}" is not a SHA-256 fingerprint (64 hex digits, colons optional)`)
    mtls = {
      mode: config.clientCert,
      trustedIssuers: deps.issuers.resolve(config.trustedIssuerIds),
      pinnedFingerprints: config.pinnedFingerprints.map(normalizeFingerprint)
    }
  }
  return {
    serverOptions: tlsServerOptions({
      mode: config.mode,
      server: { certPem: server.certPem, keyPem: server.keyPem },
      trustedIssuers: mtls?.trustedIssuers,
      handshakeTimeoutMs: options.handshakeTimeoutMs
    }),
    mtls,
    serverCertificateId: server.id
  }
}

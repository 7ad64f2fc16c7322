import type { X509Certificate } from 'node:crypto'
import type { ServerOptions } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { EngineError } from '../../../shared/errors'
import type { ClientCertMode, EndpointTlsMode, TlsFacts, TlsRejection } from '../../../shared/model/tls'
import { evaluateClientCertificate, type PeerCertificateLike } from './client-cert-evaluation'
import { clientHelloOf } from './client-hello'
import { MIN_TLS_VERSION } from './tls-client-error'
import { rememberTlsFacts, tlsFacts } from './tls-facts'

export interface TlsServerMaterial {
  certPem: string
  keyPem: string
}

export interface TlsServerOptionsInput {
  mode: EndpointTlsMode
  server: TlsServerMaterial
  /** Sent in the CertificateRequest as acceptable issuers (mtls only); judging is ours either way. */
  trustedIssuers?: X509Certificate[]
  /** A client must finish its handshake within this (Node's default is 120 s). */
  handshakeTimeoutMs?: number
}

/**
 * Options for `https.createServer` (merge with the HTTP options: timeouts, header size).
 *
 * `rejectUnauthorized: false` with `requestCert: true`: OpenSSL asks for a certificate but never
 * refuses the handshake over it, so judgeConnection can record *why* a certificate is bad (and
 * `request` mode can accept without one). Refusal happens right after the handshake, before any
 * request is read.
 */
export function tlsServerOptions(input: TlsServerOptionsInput): ServerOptions {
  if (input.mode === 'http') throw new EngineError('BAD_INPUT', 'an http endpoint has no TLS options')
  const mtls = input.mode === 'https+mtls'
  const issuers = mtls ? (input.trustedIssuers ?? []).map((cert) => cert.toString()) : []
  return {
    key: input.server.keyPem,
    cert: input.server.certPem,
    minVersion: MIN_TLS_VERSION,
    requestCert: mtls,
    rejectUnauthorized: false,
    // Without a `ca`, OpenSSL would announce no acceptable issuers, and Node would check peers
    // against its bundled web roots (only for socket.authorized, which is not used).
    ...(issuers.length > 0 ? { ca: issuers } : {}),
    ALPNProtocols: ['http/1.1'],
    handshakeTimeout: input.handshakeTimeoutMs ?? 10_000
  }
}

export interface MtlsPolicy {
  mode: ClientCertMode
  /** Resolved once per listener start (TrustedIssuers.resolve), not per connection. */
  trustedIssuers: X509Certificate[]
  pinnedFingerprints: string[]
}

export interface ConnectionJudgement {
  facts: TlsFacts
  /** `require` mode and the certificate is missing or not acceptable: destroy the socket. */
  refuse: boolean
  /** Present when refused: what the rejected-connection record should store. */
  rejection: TlsRejection | null
}

/**
 * Run on 'secureConnection' (prepend the listener so it runs before the HTTP parser is attached).
 * `mtls` is null for plain https. The facts are also remembered on the socket, so the request
 * handler finds them with connectionTlsFacts(req.socket).
 */
export function judgeConnection(socket: TLSSocket, mtls: MtlsPolicy | null, now: number): ConnectionJudgement {
  const evaluation = mtls
    ? evaluateClientCertificate(socket.getPeerCertificate(true) as PeerCertificateLike, {
        trustedIssuers: mtls.trustedIssuers,
        pinnedFingerprints: mtls.pinnedFingerprints,
        now
      })
    : null
  const facts = tlsFacts(socket, evaluation)
  rememberTlsFacts(socket, facts)
  const refuse = mtls?.mode === 'require' && !facts.authorized
  return {
    facts,
    refuse,
    rejection: refuse ? { code: facts.reason, reason: facts.detail, facts, hello: clientHelloOf(socket) ?? null } : null
  }
}

import type { ClientHelloFacts, TlsRejection, TlsRejectionCode } from '../../../shared/model/tls'
import { humanTlsVersion } from './client-hello'

export const MIN_TLS_VERSION = 'TLSv1.2'

/**
 * Classifies a `tlsClientError` (a handshake that failed before any request). Node puts
 * OpenSSL's reason in `code` as ERR_SSL_<REASON>; the message text is a fallback only.
 */
export function tlsClientErrorCode(error: unknown): TlsRejectionCode {
  const code = String((error as { code?: unknown } | null)?.code ?? '')
  const message = error instanceof Error ? error.message : String(error)
  if (
    code === 'ERR_SSL_UNSUPPORTED_PROTOCOL' ||
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ERR_SSL_VERSION_TOO_LOW' ||
    /unsupported protocol|version too low/i.test(message)
  )
    return 'protocol-version'
  if (code === 'ERR_SSL_HTTP_REQUEST' || /http request/i.test(message)) return 'plain-http'
  if (code === 'ERR_SSL_NO_SHARED_CIPHER' || /no shared cipher/i.test(message)) return 'no-shared-cipher'
  if (code === 'ERR_SSL_NO_APPLICATION_PROTOCOL' || /no application protocol/i.test(message)) return 'no-application-protocol'
  if (
    /^ERR_SSL_(TLSV1_ALERT_UNKNOWN_CA|SSLV3_ALERT_BAD_CERTIFICATE|SSLV3_ALERT_CERTIFICATE_UNKNOWN|TLSV1_ALERT_DECRYPT_ERROR)$/.test(code) ||
    /alert (unknown ca|bad certificate|certificate unknown)/i.test(message)
  )
    return 'client-rejected-server-certificate'
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return 'handshake-timeout'
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'connection-reset'
  if (code === 'ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE') return 'no-certificate'
  return 'handshake-failed'
}

/**
 * A sentence for a failed handshake, e.g. "protocol version TLS 1.1 refused: TLS 1.2 minimum".
 * `hello` (from the ClientHello sniffer) names what the client offered; without it the sentence
 * stays true but less specific.
 */
export function describeTlsClientError(error: unknown, hello?: ClientHelloFacts | null): string {
  const code = tlsClientErrorCode(error)
  switch (code) {
    case 'protocol-version': {
      const offered = hello?.maxVersion ? `protocol version ${humanTlsVersion(hello.maxVersion)}` : 'a protocol version below TLS 1.2'
      return `${offered} refused: TLS 1.2 minimum`
    }
    case 'plain-http':
      return 'plain HTTP sent to an HTTPS endpoint: use https:// in the sender’s URL'
    case 'no-shared-cipher':
      return 'no cipher suite in common with the client (TLS 1.2+ with modern suites is required)'
    case 'no-application-protocol':
      return `the client offered only ${hello?.alpn.length ? hello.alpn.join(', ') : 'application protocols'} and this endpoint speaks http/1.1`
    case 'client-rejected-server-certificate':
      return 'the client does not trust this endpoint’s certificate: give it the Hookscope CA (see Certificates › Trust)'
    case 'handshake-timeout':
      return 'the client did not complete the TLS handshake in time'
    case 'connection-reset':
      // Node clients that reject the server certificate hang up without an alert, so say so.
      return 'the client closed the connection during the TLS handshake (clients that do not trust this endpoint’s certificate often do)'
    case 'no-certificate':
      return 'the client sent no certificate'
    default: {
      const reason = (error as { reason?: unknown } | null)?.reason
      const text = typeof reason === 'string' && reason.length > 0 ? reason : error instanceof Error ? error.message : String(error)
      return `TLS handshake failed: ${text}`
    }
  }
}

/** The record for a connection that never carried a request because its handshake failed. */
export function handshakeRejection(error: unknown, hello?: ClientHelloFacts | null): TlsRejection {
  return { code: tlsClientErrorCode(error), reason: describeTlsClientError(error, hello), facts: null, hello: hello ?? null }
}

import type { AttemptError, AttemptErrorCode } from '../../../shared/model/relay'

/** Certificate verification codes from OpenSSL that mean "signed by a CA we do not trust". */
const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED'
])

export function attemptError(code: AttemptErrorCode, message: string): AttemptError {
  return { code, message }
}

/** Where the target is, as people write it: `127.0.0.1:3000`. */
export function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80')
  return `${url.hostname}:${port}`
}

/**
 * A socket or TLS error from a forward, as a stable code and one sentence that says what to do.
 * Never includes payload bytes; the only variable parts are the target's host and port.
 */
export function describeForwardError(error: unknown, url: URL, context: { clientCertificate?: boolean } = {}): AttemptError {
  const err = error as NodeJS.ErrnoException & { reason?: string }
  const code = err?.code ?? ''
  const where = hostPort(url)
  const host = url.hostname
  switch (code) {
    case 'ECONNREFUSED':
      return attemptError('CONNECTION_REFUSED', `nothing listens on ${where} — is your app running?`)
    case 'ECONNRESET':
    case 'EPIPE':
      return reset(url, where, context)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return attemptError('DNS_FAILED', `the name ${host} could not be resolved (DNS ${code}); check the target URL`)
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return attemptError('HOST_UNREACHABLE', `${where} cannot be reached from this machine (${code}); check the address and your network`)
    case 'ETIMEDOUT':
      return attemptError('TIMEOUT', `connecting to ${where} timed out; is the host up and the port open?`)
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return attemptError(
        'TLS_NAME_MISMATCH',
        `the certificate of ${where} is not valid for the name ${host}; use the name it was issued for, or issue one that covers ${host}`
      )
    case 'CERT_HAS_EXPIRED':
      return attemptError('TLS_CERT_EXPIRED', `the certificate of ${where} has expired; renew it on the target`)
    case 'CERT_NOT_YET_VALID':
      return attemptError('TLS_CERT_EXPIRED', `the certificate of ${where} is not valid yet; check the clocks of both machines`)
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN':
      return attemptError(
        'TLS_CLIENT_CERT_REQUIRED',
        `${where} refused the TLS handshake: it wants a client certificate it trusts; choose one in the rule (Certificates lists them)`
      )
    default:
      break
  }
  if (UNKNOWN_CA.has(code)) {
    return attemptError(
      'TLS_UNKNOWN_CA',
      `the certificate of ${where} is signed by a CA Hookscope does not trust (${code}); import that CA certificate ` +
        `(Certificates → trusted issuers, or certificates.importIssuer) and send again, or use http://`
    )
  }
  if (code.startsWith('HPE_') || code === 'ERR_HTTP_INVALID_STATUS_CODE') {
    return attemptError('BAD_RESPONSE', `${where} answered with something that is not valid HTTP/1.1 (${code})`)
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /certificate|ssl|tls/i.test(err?.message ?? '')) {
    return attemptError('TLS_FAILED', `the TLS handshake with ${where} failed (${code || 'TLS error'}); is it an https server?`)
  }
  if (err?.message === 'socket hang up') return reset(url, where, context)
  return attemptError('CONNECTION_RESET', `the exchange with ${where} failed (${code || 'connection error'})`)
}

function reset(url: URL, where: string, context: { clientCertificate?: boolean }): AttemptError {
  // An mTLS server that requires a client certificate completes the handshake, then drops the
  // connection: from here that looks like any reset, so say it may be that.
  const tlsHint =
    url.protocol === 'https:' && !context.clientCertificate ? '; an https server that requires a client certificate does this too: choose one in the rule' : ''
  return attemptError('CONNECTION_RESET', `${where} closed the connection before answering (did the app crash or refuse the request?)${tlsHint}`)
}

export function timeoutError(url: URL, timeoutMs: number): AttemptError {
  const seconds = timeoutMs % 1000 === 0 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`
  return attemptError('TIMEOUT', `no complete answer from ${hostPort(url)} within ${seconds} (the rule's timeout; 0 waits forever)`)
}

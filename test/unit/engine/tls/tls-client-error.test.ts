import { describe, expect, it } from 'vitest'
import { describeTlsClientError, handshakeRejection, tlsClientErrorCode } from '../../../../electron/engine/tls/tls-client-error'

function opensslError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code })
}

describe('describeTlsClientError', () => {
  const unsupported = opensslError('ERR_SSL_UNSUPPORTED_PROTOCOL', 'error:0A000102:SSL routines:tls_early_post_process_client_hello:unsupported protocol')

  it('names the offered version when the ClientHello was read', () => {
    const hello = { maxVersion: 'TLSv1.1', versions: ['TLSv1.1'], sni: null, alpn: [] }
    expect(describeTlsClientError(unsupported, hello)).toBe('protocol version TLS 1.1 refused: TLS 1.2 minimum')
    expect(describeTlsClientError(unsupported, { ...hello, maxVersion: 'TLSv1' })).toBe('protocol version TLS 1.0 refused: TLS 1.2 minimum')
    expect(describeTlsClientError(unsupported)).toBe('a protocol version below TLS 1.2 refused: TLS 1.2 minimum')
    expect(handshakeRejection(unsupported, hello)).toMatchObject({ code: 'protocol-version', facts: null, hello })
  })

  it('classifies the other common handshake failures', () => {
    const cases: [Error, string][] = [
      [opensslError('ERR_SSL_HTTP_REQUEST', 'http request'), 'plain-http'],
      [opensslError('ERR_SSL_NO_SHARED_CIPHER', 'no shared cipher'), 'no-shared-cipher'],
      [opensslError('ERR_SSL_NO_APPLICATION_PROTOCOL', 'no application protocol'), 'no-application-protocol'],
      [opensslError('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tlsv1 alert unknown ca'), 'client-rejected-server-certificate'],
      [opensslError('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'sslv3 alert bad certificate'), 'client-rejected-server-certificate'],
      [opensslError('ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout'), 'handshake-timeout'],
      [opensslError('ECONNRESET', 'read ECONNRESET'), 'connection-reset'],
      [opensslError('ERR_SSL_SOMETHING_NEW', 'something new'), 'handshake-failed']
    ]
    for (const [error, code] of cases) expect([error.message, tlsClientErrorCode(error)]).toEqual([error.message, code])
    expect(describeTlsClientError(opensslError('ERR_SSL_HTTP_REQUEST', 'http request'))).toMatch(/plain HTTP/)
    expect(describeTlsClientError(Object.assign(new Error('x'), { code: 'ERR_SSL_SOMETHING_NEW', reason: 'something new' }))).toBe(
      'TLS handshake failed: something new'
    )
    expect(describeTlsClientError(opensslError('ERR_SSL_NO_APPLICATION_PROTOCOL', 'x'), { maxVersion: 'TLSv1.3', versions: [], sni: null, alpn: ['h2'] })).toBe(
      'the client offered only h2 and this endpoint speaks http/1.1'
    )
  })
})

import type { TLSSocket } from 'node:tls'
import type { TlsFacts } from '../../../shared/model/tls'
import type { ClientCertEvaluation } from './client-cert-evaluation'

/**
 * What a delivery records about its TLS connection, read once the handshake completed.
 * `evaluation` is null when the endpoint did not ask for a client certificate (plain https):
 * then nothing about the client is judged and the connection counts as authorized.
 */
export function tlsFacts(socket: TLSSocket, evaluation: ClientCertEvaluation | null): TlsFacts {
  const cipher = socket.getCipher() as { name?: string; standardName?: string } | undefined
  const servername = (socket as TLSSocket & { servername?: string | false | null }).servername
  const chain = evaluation?.chain ?? []
  return {
    version: socket.getProtocol() ?? null,
    // The IANA name is what other tools (Wireshark, curl -v) print; OpenSSL's name as a fallback.
    cipher: cipher?.standardName ?? cipher?.name ?? null,
    sni: typeof servername === 'string' && servername.length > 0 ? servername : null,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    clientCert: chain[0] ?? null,
    chain,
    clientCertRequested: evaluation !== null,
    authorized: evaluation?.authorized ?? true,
    reason: evaluation?.reason ?? 'ok',
    detail: evaluation?.detail ?? 'no client certificate requested'
  }
}

/**
 * Facts per connection, for the request handler: a keep-alive connection carries many requests
 * but is judged once, at `secureConnection`. Weak keys: nothing to clean up when sockets close.
 */
const factsBySocket = new WeakMap<object, TlsFacts>()

export function rememberTlsFacts(socket: TLSSocket, facts: TlsFacts): void {
  factsBySocket.set(socket, facts)
}

/** The facts judged for `socket` (a request's `req.socket`), or undefined if it is not TLS. */
export function connectionTlsFacts(socket: object): TlsFacts | undefined {
  return factsBySocket.get(socket)
}

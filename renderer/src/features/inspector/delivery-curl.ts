import { CA_PEM_FILE, clientCertFiles, SAMPLE_CLIENT_FILES } from '../../../../shared/lib/cert-file-names'
import { buildCurlCommand, MAX_INLINE_BODY_BYTES } from '../../../../shared/lib/curl-command'
import type { Delivery } from '../../../../shared/model/delivery'
import type { Endpoint } from '../../../../shared/model/endpoint'
import type { CertificateSummary } from '../../../../shared/model/tls'
import { requestUrl } from '../../lib/request-url'

export interface DeliveryCurl {
  command: string
  /** The body goes in this file (the panel offers to save it), or null when it is in the command. */
  bodyFile: string | null
  /** The certificate files the command names, to say where they come from. */
  tlsFiles: string[]
  /** Stored bytes sent, and what the sender sent, when the delivery was truncated at capture. */
  truncated: { stored: number; sent: number } | null
}

/**
 * "Copy as cURL" for a stored delivery: the request byte for byte to its capture URL, with what
 * curl needs to get there. HTTPS: `--cacert` with the exported CA; mTLS: `--cert`/`--key` named
 * as the Certificates page exports the client certificate the sender used (looked up by
 * fingerprint), or the sample names. Bodies over 64 KiB are read from `bodyFileName`.
 */
export function curlForDelivery(
  delivery: Delivery,
  body: Uint8Array,
  endpoints: readonly Endpoint[],
  certificates: readonly CertificateSummary[],
  bodyFileName: string
): DeliveryCurl {
  const tls = delivery.tls
  const client = tls?.clientCertRequested ? clientFiles(tls.clientCert?.fingerprint256 ?? null, certificates) : undefined
  const bodyFile = body.length > MAX_INLINE_BODY_BYTES ? bodyFileName : null
  const command = buildCurlCommand({
    method: delivery.method,
    url: requestUrl(delivery, delivery.headers, endpoints),
    headers: delivery.headers,
    body,
    bodyFile: bodyFile ?? undefined,
    tls: tls ? { caFile: CA_PEM_FILE, client } : undefined
  })
  return {
    command,
    bodyFile,
    tlsFiles: tls ? [CA_PEM_FILE, ...(client ? [client.certFile, client.keyFile] : [])] : [],
    truncated: delivery.truncated ? { stored: body.length, sent: delivery.bodySize } : null
  }
}

function clientFiles(fingerprint: string | null, certificates: readonly CertificateSummary[]): { certFile: string; keyFile: string } {
  const known = fingerprint ? certificates.find((cert) => cert.kind === 'client' && sameFingerprint(cert.fingerprint256, fingerprint)) : undefined
  return known ? clientCertFiles(known.name) : SAMPLE_CLIENT_FILES
}

function sameFingerprint(a: string, b: string): boolean {
  const normal = (value: string) => value.replace(/:/g, '').toUpperCase()
  return normal(a) === normal(b)
}

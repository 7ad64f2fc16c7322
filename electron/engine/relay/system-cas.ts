import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { splitPemCertificates } from '../tls/cert-facts'

/** Where Linux distributions and macOS keep the system's CA bundle (first found is used). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem', '/etc/ssl/ca-bundle.pem']

/**
 * CA certificates an https target may be signed by, as the system knows them: Node's bundled
 * Mozilla roots, the OS bundle file where there is one (certificates an administrator added,
 * corporate CAs), and NODE_EXTRA_CA_CERTS. Node 20 has no API for the OS store itself
 * (tls.getCACertificates arrived in 22), so the bundle file stands in for it.
 */
export function systemCaPems(env: NodeJS.ProcessEnv = process.env): string[] {
  const pems = [...rootCertificates]
  const bundle = SYSTEM_BUNDLES.map(readOptional).find((text) => text !== null)
  if (bundle) pems.push(...splitPemCertificates(bundle))
  const extra = env.NODE_EXTRA_CA_CERTS ? readOptional(env.NODE_EXTRA_CA_CERTS) : null
  if (extra) pems.push(...splitPemCertificates(extra))
  return [...new Set(pems)]
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import type { ClientCertMode, EndpointTlsMode } from '../../shared/model/tls'
import { UsageError } from './usage-error'

/** The endpoint config allows 50 trusted issuers (the local CA among them) and 50 extra hosts. */
const MAX_LIST = 50
/** certificates.importIssuer takes at most 1 MiB of PEM per call. */
const MAX_TRUST_FILE_BYTES = 1024 * 1024

export interface TrustFile {
  /** Absolute. */
  path: string
  pem: string
}

/** What `listen`'s --https, --mtls, --trust and --cert-host ask for, validated. */
export interface ListenTls {
  mode: EndpointTlsMode
  clientCert: ClientCertMode
  /** CA certificates trusted for client certificates in addition to the local CA. */
  trust: TrustFile[]
  extraHosts: string[]
}

export interface ListenTlsFlagValues {
  https?: boolean
  mtls?: string
  trust?: string[]
  'cert-host'?: string[]
}

/**
 * Validates the TLS flags (UsageError, exit 2, for anything wrong) and reads the --trust files.
 * --trust only means something with --mtls; --cert-host with --https or --mtls.
 */
export function listenTlsFlags(flags: ListenTlsFlagValues, read: (path: string) => Buffer = readFileSync): ListenTls {
  const mtls = flags.mtls
  if (mtls !== undefined && mtls !== 'request' && mtls !== 'require') {
    throw new UsageError(`--mtls must be request or require, not "${mtls}"`)
  }
  const mode: EndpointTlsMode = mtls ? 'https+mtls' : flags.https ? 'https' : 'http'
  const trustPaths = flags.trust ?? []
  const hosts = flags['cert-host'] ?? []
  if (trustPaths.length > 0 && mode !== 'https+mtls') {
    throw new UsageError('--trust needs --mtls request|require: trusted issuers vouch for client certificates')
  }
  if (hosts.length > 0 && mode === 'http') throw new UsageError('--cert-host needs --https or --mtls')

  const extraHosts: string[] = []
  for (const given of hosts) {
    if (!isHostName(given)) throw new UsageError(`--cert-host must be a host name or IP address, not "${given}"`)
    const host = given
      .replace(/^\[(.*)\]$/, '$1')
      .replace(/\.$/, '')
      .toLowerCase()
    if (!extraHosts.includes(host)) extraHosts.push(host)
  }
  if (extraHosts.length > MAX_LIST) throw new UsageError(`at most ${MAX_LIST} --cert-host names`)

  const trust: TrustFile[] = []
  for (const given of trustPaths) {
    const path = resolve(given)
    let bytes: Buffer
    try {
      bytes = read(path)
    } catch (error) {
      throw new UsageError(`--trust ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
    if (bytes.length > MAX_TRUST_FILE_BYTES) throw new UsageError(`--trust ${path}: larger than 1 MiB, not a CA certificate file`)
    const pem = bytes.toString('utf8')
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new UsageError(`--trust ${path}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`)
    }
    trust.push({ path, pem })
  }
  return { mode, clientCert: mtls === 'request' ? 'request' : 'require', trust, extraHosts }
}

/** An IP address, or a DNS name (LDH labels, optionally a leading `*.` wildcard). */
export function isHostName(value: string): boolean {
  if (isIP(value.replace(/^\[(.*)\]$/, '$1'))) return true
  if (value.length === 0 || value.length > 253) return false
  const labels = value.replace(/\.$/, '').split('.')
  return labels.every((label, index) => (index === 0 && label === '*' && labels.length > 2) || /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label))
}

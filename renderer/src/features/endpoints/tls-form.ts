import { DEFAULT_TLS } from '../../../../shared/model/endpoint'
import type { ClientCertMode, EndpointTlsConfig, EndpointTlsMode } from '../../../../shared/model/tls'
import { splitList } from '../tls/tls-format'

/** The endpoint TLS fields as the form holds them (lists as free text, one entry per line). */
export interface TlsDraft {
  mode: EndpointTlsMode
  clientCert: ClientCertMode
  trustedIssuerIds: readonly string[]
  pinnedFingerprints: string
  extraHosts: string
}

export type TlsDraftErrors = Partial<Record<'pinnedFingerprints' | 'extraHosts' | 'trustedIssuerIds', string>>

export type TlsDraftResult = { ok: true; tls: Partial<EndpointTlsConfig> } | { ok: false; errors: TlsDraftErrors }

/** The contract's own patterns (shared/api/contract.ts), so mistakes show at the field, not as a 400. */
const FINGERPRINT = /^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/
const HOST = /^[A-Za-z0-9.:*-]{1,253}$/
const MAX_ENTRIES = 50

export const TLS_MODE_LABELS: Record<EndpointTlsMode, string> = {
  http: 'http',
  https: 'https',
  'https+mtls': 'https + mTLS'
}

export function draftFromTls(tls: EndpointTlsConfig): TlsDraft {
  return {
    mode: tls.mode,
    clientCert: tls.clientCert,
    trustedIssuerIds: tls.trustedIssuerIds,
    pinnedFingerprints: tls.pinnedFingerprints.join('\n'),
    extraHosts: tls.extraHosts.join('\n')
  }
}

export const NEW_TLS_DRAFT: TlsDraft = draftFromTls(DEFAULT_TLS)

/**
 * The settings to send. Only what the mode uses is checked and sent: switching an endpoint to http
 * keeps its mTLS settings for later (a partial patch leaves them as they are).
 */
export function tlsFromDraft(draft: TlsDraft): TlsDraftResult {
  if (draft.mode === 'http') return { ok: true, tls: { mode: 'http' } }
  const errors: TlsDraftErrors = {}
  const extraHosts = splitList(draft.extraHosts)
  const badHost = extraHosts.find((host) => !HOST.test(host))
  if (badHost !== undefined) errors.extraHosts = `"${badHost}" is not a host name or IP address`
  else if (extraHosts.length > MAX_ENTRIES) errors.extraHosts = `at most ${MAX_ENTRIES} extra hosts`
  if (draft.mode === 'https') return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, tls: { mode: 'https', extraHosts } }

  const pinnedFingerprints = splitList(draft.pinnedFingerprints)
  const badPin = pinnedFingerprints.find((pin) => !FINGERPRINT.test(pin))
  if (badPin !== undefined) errors.pinnedFingerprints = `"${badPin}" is not a SHA-256 fingerprint (64 hex digits, colons optional)`
  else if (pinnedFingerprints.length > MAX_ENTRIES) errors.pinnedFingerprints = `at most ${MAX_ENTRIES} pinned fingerprints`
  if (draft.trustedIssuerIds.length > MAX_ENTRIES) errors.trustedIssuerIds = `at most ${MAX_ENTRIES} trusted issuers`
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return {
    ok: true,
    tls: { mode: 'https+mtls', clientCert: draft.clientCert, trustedIssuerIds: [...draft.trustedIssuerIds], pinnedFingerprints, extraHosts }
  }
}

import type { ErrorCode } from '../errors'
import type { RawHeader } from './delivery'
import { type EndpointTlsConfig, LOCAL_CA_ISSUER_ID } from './tls'

/** How an endpoint answers every delivery. `body: null` means `{"id": "<delivery id>"}` as JSON. */
export interface EndpointResponse {
  status: number
  headers: RawHeader[]
  body: string | null
  /** Waits this long (ms) after storing a delivery before answering: a slow receiver. */
  delayMs: number
  /** Answers this share of deliveries with an error instead, to exercise a sender's retries. */
  failure: SimulatedFailure | null
}

export interface SimulatedFailure {
  /** 0 to 100: the chance, per delivery, of failing. */
  percent: number
  status: number
  /** null: `{"id": ..., "error": "simulated failure"}` as JSON. */
  body: string | null
}

export interface EndpointConfig {
  id: string
  name: string
  host: string
  /** 0 asks the OS for any free port; the bound port is in `state.port`. */
  port: number
  enabled: boolean
  maxBodyBytes: number
  response: EndpointResponse
  /** http, https or https+mtls; certificates come from the local CA. */
  tls: EndpointTlsConfig
}

export type EndpointStatus = 'stopped' | 'starting' | 'listening' | 'error'

export interface EndpointState {
  status: EndpointStatus
  port: number | null
  url: string | null
  /** Why it is in `error`, in a sentence. */
  error: string | null
  /** ...and as a stable code to act on: VAULT_LOCKED (an https endpoint waits for the keyring), LISTEN_FAILED... */
  code: ErrorCode | null
}

export interface Endpoint extends EndpointConfig {
  state: EndpointState
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
export const DEFAULT_RESPONSE: EndpointResponse = { status: 200, headers: [], body: null, delayMs: 0, failure: null }

export const DEFAULT_TLS: EndpointTlsConfig = {
  mode: 'http',
  clientCert: 'require',
  trustedIssuerIds: [LOCAL_CA_ISSUER_ID],
  pinnedFingerprints: [],
  extraHosts: []
}

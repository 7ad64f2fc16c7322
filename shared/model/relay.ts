import type { RawHeader } from './delivery'
import type { Verdict, VerdictBadge } from './verdict'

/**
 * Forwarding rules, attempts and batches: the relay side of Hookscope (relay to a local app,
 * replay, the test sender). Expected outcomes (a refused connection, a 500) are data here, with a
 * stable code and a sentence, never exceptions.
 */

/**
 * `passthrough`: the sender waits and gets the target's answer (or the fallback).
 * `ack-first`: the sender gets the endpoint's own answer once the delivery is stored; forwarding
 * runs afterwards, with retries.
 */
export type ForwardMode = 'passthrough' | 'ack-first'

/** Outcomes a retry policy can retry on. `4xx` excludes 429, which has its own switch. */
export type RetryOn = 'network' | 'timeout' | '5xx' | '429' | '4xx'

export type RetryPreset = 'provider' | 'fast' | 'none'

export interface RetryPolicy {
  /** The preset it came from, or `custom` once edited. */
  preset: RetryPreset | 'custom'
  /** Delay before the first retry (ms). */
  baseMs: number
  /** Each further retry waits `factor` times longer... */
  factor: number
  /** ...but never longer than this (ms). A 429's Retry-After is honoured beyond it, up to a day. */
  maxDelayMs: number
  /** Retries after the first attempt (0 = no retry). */
  maxRetries: number
  on: RetryOn[]
}

/** Every condition set must hold; all null is the catch-all. */
export interface RuleMatch {
  /** The request path (before `?`) starts with this. */
  pathPrefix: string | null
  /** Case-insensitive. */
  method: string | null
  /** A header (name case-insensitive) whose value equals `value` exactly. */
  header: { name: string; value: string } | null
  /**
   * A field of a JSON body, as a dotted path (`type`, `data.object.status`), equal to `value`
   * (numbers and booleans compared as their JSON text). Bodies over 1 MiB never match.
   */
  jsonField: { path: string; value: string } | null
}

/** Replaces a leading `prefix` of the request path with `replacement` ('' strips it). */
export interface PathRewrite {
  prefix: string
  replacement: string
}

export interface ForwardingRule {
  id: string
  name: string
  enabled: boolean
  match: RuleMatch
  /**
   * http(s) URL. Only an origin (`http://127.0.0.1:3000`, path `/`): the request's path (after
   * the rewrite) and query are appended. With a path: every request goes to exactly that URL.
   */
  target: string
  pathRewrite: PathRewrite | null
  /** Removed by name (case-insensitive), then added at the end, in this order. */
  headers: { remove: string[]; add: RawHeader[] }
  /** Keep the sender's Host header instead of the target's host. */
  preserveHost: boolean
  /** Whole exchange, connect to last response byte (ms); 0 waits forever. */
  timeoutMs: number
  mode: ForwardMode
  /** Used in ack-first mode; passthrough never retries (the sender is waiting). */
  retry: RetryPolicy
  /** A client certificate from the certificate store, for targets that require mTLS. */
  clientCertificateId: string | null
}

/**
 * What a passthrough sender gets when the target cannot be reached. `body: null` means the
 * default: a JSON object naming the cause (`{"error": {"code", "message"}, "delivery": id}`).
 */
export interface FallbackResponse {
  status: number
  headers: RawHeader[]
  body: string | null
}

export interface ForwardingConfig {
  endpointId: string
  /** First match wins. */
  rules: ForwardingRule[]
  fallback: FallbackResponse
  /** Things worth telling the user (a target that is not on this machine...); never blocking. */
  warnings: string[]
}

export type AttemptKind = 'relay' | 'replay' | 'send'

/**
 * `scheduled`: waiting for `dueAt` (a retry, or the first ack-first attempt).
 * `in-flight`: on the wire. `succeeded`: a 2xx answer. `failed`: any other answer, or no answer.
 * `interrupted`: Hookscope stopped while it was on the wire (the target may have got it); a relay
 * attempt interrupted is retried (at-least-once). `cancelled`: by the user, or its delivery/rule went away.
 */
export type AttemptState = 'scheduled' | 'in-flight' | 'succeeded' | 'failed' | 'interrupted' | 'cancelled'

/** Why an attempt got no (usable) answer. Stable: the UI and the CLI switch on these. */
export type AttemptErrorCode =
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'DNS_FAILED'
  | 'HOST_UNREACHABLE'
  | 'TIMEOUT'
  | 'TLS_UNKNOWN_CA'
  | 'TLS_NAME_MISMATCH'
  | 'TLS_CERT_EXPIRED'
  | 'TLS_CLIENT_CERT_REQUIRED'
  | 'TLS_FAILED'
  | 'CLIENT_CERT_UNAVAILABLE'
  | 'BAD_RESPONSE'
  | 'RESPONSE_TOO_LARGE'
  | 'BODY_TRUNCATED'
  | 'INTERRUPTED'
  | 'CANCELLED'
  | 'RULE_REMOVED'
  | 'DELIVERY_REMOVED'
  | 'SIGNING_FAILED'
  | 'REQUEST_INVALID'

export interface AttemptError {
  code: AttemptErrorCode
  /** One plain sentence a user can act on. */
  message: string
}

/** What attempt lists and events carry: no bodies, no headers. */
export interface AttemptSummary {
  id: string
  /** The delivery it forwards or replays; null for the test sender. */
  deliveryId: string | null
  endpointId: string | null
  kind: AttemptKind
  /** The forwarding rule (relay attempts, replays to the rule's target). */
  ruleId: string | null
  /** A bulk replay or a repeated send. */
  batchId: string | null
  /** 1 for a first attempt; relay retries count up (2 = first retry). */
  number: number
  state: AttemptState
  /** When a scheduled attempt is due (the next retry), else when it was due. */
  dueAt: number | null
  startedAt: number | null
  finishedAt: number | null
  method: string
  /** The URL it went (or goes) to. */
  target: string
  /** The target's status; null without an answer. */
  status: number | null
  durationMs: number | null
  error: AttemptError | null
  /** Keyring key id it was re-signed (or, for sends, signed) with; null as-is. */
  resignedWith: string | null
  /** Headers or body changed by the user before sending. */
  edited: boolean
  /** Replays and sends: Hookscope's verdict on the request as sent, as if it had just arrived. */
  verdict: VerdictBadge | null
}

/** A whole attempt: the request as sent and the response as received (capped at 1 MiB). */
export interface Attempt extends AttemptSummary {
  requestHeaders: RawHeader[]
  requestBodyBase64: string
  requestBodySize: number
  responseHeaders: RawHeader[] | null
  responseBodyBase64: string | null
  /** Bytes the target sent (more than stored when `responseTruncated`). */
  responseBodySize: number | null
  responseTruncated: boolean
  verdictDetail: Verdict | null
  /** What the signer changed or could not do (re-signed replays and sends). */
  notes: string[]
}

export type BatchState = 'running' | 'finished' | 'cancelled'

/** A bulk replay or a repeated send, for progress bars. */
export interface AttemptBatch {
  id: string
  kind: 'replay' | 'send'
  state: BatchState
  total: number
  /** Finished attempts (any outcome). */
  done: number
  succeeded: number
  failed: number
  startedAt: number
  finishedAt: number | null
}

/** An event template of the sender (e.g. `stripe.invoice.paid`, `github.ping`, `<scheme>.test.webhook-event`). */
export interface EventTemplate {
  /** `<scheme>.<event>`: what `sender.send` takes as `event` (or the event name alone, within the key's scheme). */
  id: string
  scheme: string
  /** The provider's own event name (Stripe `type`, `X-GitHub-Event`...). */
  event: string
  label: string
  /** What the provider's "send test" button sends: the default when no event is given. */
  test: boolean
}

export const DEFAULT_FORWARD_TIMEOUT_MS = 30_000
/** Stored response bytes per attempt; the rest is counted and flagged `responseTruncated`. */
export const ATTEMPT_RESPONSE_CAP = 1024 * 1024

const MINUTE = 60_000
const SECOND = 1_000
const DEFAULT_RETRY_ON: RetryOn[] = ['network', 'timeout', '5xx', '429']

export const RETRY_PRESETS: Record<RetryPreset, RetryPolicy> = {
  /** 1, 2, 4, 8, 16, 32 minutes: six retries, as a typical provider does. */
  provider: { preset: 'provider', baseMs: MINUTE, factor: 2, maxDelayMs: 32 * MINUTE, maxRetries: 6, on: DEFAULT_RETRY_ON },
  /** 1, 2, 4, 8, 16, 32 seconds. */
  fast: { preset: 'fast', baseMs: SECOND, factor: 2, maxDelayMs: 32 * SECOND, maxRetries: 6, on: DEFAULT_RETRY_ON },
  none: { preset: 'none', baseMs: SECOND, factor: 2, maxDelayMs: 32 * SECOND, maxRetries: 0, on: DEFAULT_RETRY_ON }
}

/** The default fallback: 502 with a JSON body naming the cause. */
export const DEFAULT_FALLBACK: FallbackResponse = { status: 502, headers: [], body: null }

export const CATCH_ALL: RuleMatch = { pathPrefix: null, method: null, header: null, jsonField: null }

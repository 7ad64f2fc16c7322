import { z } from 'zod'
import type { Delivery, DeliverySummary, RejectedConnection } from '../model/delivery'
import { DURABILITY_LEVELS, type Durability } from '../model/durability'
import type { Endpoint } from '../model/endpoint'
import type { KeyMaterial, KeySummary } from '../model/keyring'
import type { Attempt, AttemptBatch, AttemptSummary, EventTemplate, ForwardingConfig } from '../model/relay'
import type { SigningOverview } from '../model/signing'
import type { StoreHealthStatus } from '../model/store-health'
import type { CertificateSummary, ExpiryWarning } from '../model/tls'
import type { TunnelView } from '../model/tunnel'
import type { Verdict } from '../model/verdict'
import { keyringFileEntrySchema } from './keyring-file'
import { forwardingMethodSchemas } from './relay-schemas'
import { idSchema, rawHeaderSchema } from './schema-parts'

/**
 * The one engine API. The engine implements it (electron/engine/engine-api.ts); Electron IPC and
 * the headless HTTP/WS server are thin adapters over it; the renderer sees it through EngineClient.
 * Every params schema is strict: unknown keys are bad input, not silently ignored.
 */

const MAX_PORT = 65_535
export const MAX_BODY_LIMIT = 256 * 1024 * 1024

const id = idSchema
const rawHeader = rawHeaderSchema

export const MAX_RESPONSE_DELAY_MS = 60_000

export const endpointResponseSchema = z.strictObject({
  status: z.int().min(200).max(599),
  headers: z.array(rawHeader).max(100),
  body: z
    .string()
    .max(1024 * 1024)
    .nullable(),
  /** Older clients send only status, headers and body: the rest takes its default. */
  delayMs: z.int().min(0).max(MAX_RESPONSE_DELAY_MS).default(0),
  failure: z
    .strictObject({
      percent: z.number().min(0).max(100),
      status: z.int().min(400).max(599),
      body: z
        .string()
        .max(64 * 1024)
        .nullable()
    })
    .nullable()
    .default(null)
})

const fingerprint = z.string().regex(/^(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/, 'a SHA-256 fingerprint: 64 hex digits, colons optional')
const hostName = z.string().regex(/^[A-Za-z0-9.:*-]{1,253}$/, 'a host name or IP address')

export const endpointTlsSchema = z.strictObject({
  mode: z.enum(['http', 'https', 'https+mtls']),
  clientCert: z.enum(['request', 'require']),
  trustedIssuerIds: z.array(z.string().min(1).max(64)).max(50),
  pinnedFingerprints: z.array(fingerprint).max(50),
  extraHosts: z.array(hostName).max(50)
})

const endpointFields = {
  name: z.string().trim().min(1).max(80),
  host: z.string().trim().min(1).max(253),
  port: z.int().min(0).max(MAX_PORT),
  enabled: z.boolean(),
  maxBodyBytes: z.int().min(1).max(MAX_BODY_LIMIT),
  response: endpointResponseSchema,
  tls: endpointTlsSchema.partial()
}

export const endpointIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'endpoint id: lowercase letters, digits and dashes, at most 40')

const keyMaterialSchema = keyringFileEntrySchema.pick({
  secret: true,
  publicKey: true,
  privateKey: true,
  certificate: true,
  jwks: true
})
const keyFields = keyringFileEntrySchema.pick({
  keyId: true,
  group: true,
  endpointIds: true,
  pathPrefixes: true,
  notes: true,
  options: true
}).shape
const passphrase = z.string().min(8, 'passphrase: at least 8 characters').max(1024)

export const VERDICT_STATUSES = ['valid', 'invalid', 'unchecked', 'decrypted'] as const
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const

/** Which deliveries a list, count or export is about; every field narrows (AND). */
const deliveryQueryFields = {
  endpointId: id.optional(),
  method: z.string().min(1).max(32).optional(),
  /** Inclusive lower bound on receivedAt (ms). */
  from: z.int().min(0).optional(),
  /** Exclusive upper bound on receivedAt (ms). */
  to: z.int().min(0).optional(),
  /** Free text over path, header values, text bodies, verdict code, scheme and event type (case-insensitive). */
  q: z.string().max(500).optional(),
  verdict: z.enum(VERDICT_STATUSES).optional(),
  /** A verdict code, e.g. SIG_MISMATCH. */
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'a verdict code such as SIG_MISMATCH')
    .optional(),
  /** The scheme that decided the verdict, e.g. stripe. */
  scheme: z.string().min(1).max(64).optional(),
  /** The status Hookscope answered: exactly, or a class such as 4xx. */
  status: z.union([z.int().min(100).max(599), z.enum(STATUS_CLASSES)]).optional(),
  /** The sender's event name; `invoice` also matches `invoice.paid` (dot-separated prefix). */
  eventType: z.string().min(1).max(120).optional()
}

export const deliveryQuerySchema = z.strictObject(deliveryQueryFields)
export type DeliveryQuery = z.output<typeof deliveryQuerySchema>

export const methodSchemas = {
  'app.info': z.strictObject({}),
  'deliveries.list': z.strictObject({
    ...deliveryQueryFields,
    cursor: z.string().max(64).optional(),
    limit: z.int().min(1).max(1000).optional()
  }),
  'deliveries.count': deliveryQuerySchema,
  'deliveries.facets': z.strictObject({}),
  /**
   * Desktop only: asks where to save (the native save dialog), then writes the deliveries the
   * query matches there, announcing `export.progress`. Headless pages stream POST /api/export instead.
   */
  'deliveries.export': z.strictObject({
    format: z.enum(['ndjson', 'har']),
    query: deliveryQuerySchema,
    /** Chosen by the caller, to recognise its own progress events. */
    exportId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'exportId: letters, digits, _ and -')
  }),
  'deliveries.get': z.strictObject({ id }),
  'deliveries.delete': z.strictObject({ id }),
  'deliveries.clear': z.strictObject({ endpointId: id.optional() }),
  'endpoints.list': z.strictObject({}),
  'endpoints.create': z.strictObject({
    id: endpointIdSchema.optional(),
    name: endpointFields.name,
    host: endpointFields.host.optional(),
    port: endpointFields.port.optional(),
    enabled: endpointFields.enabled.optional(),
    maxBodyBytes: endpointFields.maxBodyBytes.optional(),
    response: endpointFields.response.optional(),
    tls: endpointFields.tls.optional()
  }),
  'endpoints.update': z.strictObject({
    id,
    patch: z.strictObject({
      name: endpointFields.name.optional(),
      host: endpointFields.host.optional(),
      port: endpointFields.port.optional(),
      enabled: endpointFields.enabled.optional(),
      maxBodyBytes: endpointFields.maxBodyBytes.optional(),
      response: endpointFields.response.optional(),
      tls: endpointFields.tls.optional()
    })
  }),
  'endpoints.delete': z.strictObject({ id }),
  'endpoints.start': z.strictObject({ id }),
  'endpoints.stop': z.strictObject({ id }),
  'deliveries.verify': z.strictObject({ id }),
  /** The store's health (ok, disk-full, read-only, damaged...); `store.health` events follow its changes. */
  'store.health': z.strictObject({}),
  /** The whole expected signature of a delivery's verdict, recomputed (the verdict stores a prefix); needs the keyring unlocked. */
  'deliveries.expectedSignature': z.strictObject({ id }),
  /** The body with its Content-Encoding (gzip, deflate, br) undone, capped at MAX_DECODED_BODY_BYTES (decompression bombs). */
  'deliveries.decodedBody': z.strictObject({ id }),
  'vault.status': z.strictObject({}),
  'vault.unlock': z.strictObject({ passphrase: z.string().min(1).max(1024) }),
  'vault.setPassphrase': z.strictObject({ passphrase }),
  'keys.list': z.strictObject({}),
  'keys.create': z.strictObject({
    name: z.string().trim().min(1).max(120),
    scheme: keyringFileEntrySchema.shape.scheme,
    material: keyMaterialSchema,
    status: z.enum(['INACTIVE', 'ACTIVE']).optional(),
    ...keyFields
  }),
  'keys.update': z.strictObject({
    id,
    patch: z.strictObject({ name: z.string().trim().min(1).max(120).optional(), material: keyMaterialSchema.optional(), ...keyFields })
  }),
  'keys.activate': z.strictObject({ id }),
  'keys.delete': z.strictObject({ id }),
  'keys.remove': z.strictObject({ id }),
  'keys.reveal': z.strictObject({ id }),
  'keys.import': z.union([
    z.strictObject({ keyring: z.unknown() }),
    z.strictObject({
      bundle: z
        .string()
        .min(1)
        .max(16 * 1024 * 1024),
      passphrase: z.string().min(1).max(1024)
    })
  ]),
  'keys.export': z.strictObject({ passphrase }),
  /** Which keys can sign (re-signed replays, the sender), and why the others cannot; never material. */
  'keys.signing': z.strictObject({}),
  'verify.schemes': z.strictObject({}),
  'connections.rejected': z.strictObject({ endpointId: id.optional(), limit: z.int().min(1).max(1000).optional() }),
  'certificates.list': z.strictObject({}),
  'certificates.issueClient': z.strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9 ._-]+$/, 'name: letters, digits, space . _ -')
  }),
  'certificates.importClient': z.strictObject({
    certPem: z
      .string()
      .min(1)
      .max(256 * 1024),
    keyPem: z
      .string()
      .min(1)
      .max(64 * 1024),
    name: z.string().max(64).optional()
  }),
  'certificates.exportClient': z.strictObject({ id, format: z.enum(['pem', 'p12']), password: z.string().min(4).max(1024).optional() }),
  'certificates.remove': z.strictObject({ id }),
  'certificates.importIssuer': z.strictObject({
    pem: z
      .string()
      .min(1)
      .max(1024 * 1024),
    name: z.string().max(64).optional()
  }),
  'certificates.exportCa': z.strictObject({ format: z.enum(['pem', 'der']) }),
  'certificates.regenerateCa': z.strictObject({}),
  'tunnels.list': z.strictObject({}),
  'tunnels.set': z.strictObject({
    endpointId: id,
    /** A relay-server channel URL (…/c/<id>) or a smee channel URL. */
    url: z.string().trim().min(1).max(2048).optional(),
    /** The relay channel's client token; null forgets it; absent keeps the one held. */
    token: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[\x21-\x7e]+$/, 'token: visible ASCII, no spaces')
      .nullable()
      .optional(),
    enabled: z.boolean().optional()
  }),
  'tunnels.remove': z.strictObject({ endpointId: id }),
  ...forwardingMethodSchemas,
  'settings.get': z.strictObject({}),
  'settings.update': z.strictObject({ durability: z.enum(DURABILITY_LEVELS).optional() })
} as const

export interface AppInfo {
  name: 'Hookscope'
  version: string
  dataDir: string
  /** 'desktop' when hosted by Electron, 'headless' when served by the CLI. */
  host: 'desktop' | 'headless'
  /** New at every start of the engine: a page can tell it is talking to a later run than its own. */
  runId: string
}

export interface DeliveryPage {
  items: DeliverySummary[]
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null
  /** Every stored delivery, whatever the query: on first pages only (no cursor). */
  total?: number
}

export interface DeliveryCounts {
  /** Every stored delivery. */
  total: number
  /** Those the query matches; with free text, counting stops at MAX_TEXT_MATCH_COUNT. */
  matched: number
  /** True when `matched` stopped at the cap: "10,000+ match". */
  capped: boolean
}

/** Free text is matched by reading bodies: its count stops here rather than read the whole store. */
export const MAX_TEXT_MATCH_COUNT = 10_000

/** Values present in the store, for the filter menus (each at most 200, sorted). */
export interface DeliveryFacets {
  eventTypes: string[]
  schemes: string[]
  codes: string[]
  statuses: number[]
}

export interface ExportResult {
  /** Where the file was written; null when the user cancelled the save dialog. */
  path: string | null
  count: number
}

export type VaultState = 'uninitialized' | 'locked' | 'unlocked'

export interface VaultStatus {
  state: VaultState
  /** How the data key is protected: the OS keychain (desktop) and/or a passphrase. */
  protections: ('os' | 'passphrase')[]
}

export interface SchemeInfo {
  id: string
  label: string
  needs: string[]
}

/** Certificate files travel as base64 so one JSON wire format serves IPC and HTTP. */
export interface CertificateFile {
  fileName: string
  contentBase64: string
}

export interface CertificatesOverview {
  certificates: CertificateSummary[]
  warnings: ExpiryWarning[]
}

/** The signature Hookscope computes for a delivery, whole; null when the check computes none. */
export interface ExpectedSignature {
  expected: string | null
}

/** Largest body `deliveries.decodedBody` decodes to: past it the rest is left out (`capped`). */
export const MAX_DECODED_BODY_BYTES = 32 * 1024 * 1024

/** A delivery's body with its Content-Encoding undone, or why it was not (data, not an error). */
export type DecodedBody =
  | {
      ok: true
      bodyBase64: string
      /** The codings undone, as the Content-Encoding header lists them. */
      codings: string[]
      /** Decoded past MAX_DECODED_BODY_BYTES: the rest is left out. */
      capped: boolean
      /** The stored bytes end before the compressed stream does (a truncated delivery). */
      incomplete: boolean
    }
  | { ok: false; codings: string[]; reason: string }

/** Settings of the data folder. */
export interface StoreSettingsView {
  /** When a delivery is acknowledged: after its WAL commit (`crash`) or after the WAL fsync (`fsync`). */
  durability: Durability
}

export interface KeyImportResult {
  imported: number
  /** Entries not imported, by position in the file, with the reason (never the key material). */
  skipped: { index: number; reason: string }[]
}

interface MethodResults {
  'app.info': AppInfo
  'deliveries.list': DeliveryPage
  'deliveries.count': DeliveryCounts
  'deliveries.facets': DeliveryFacets
  'deliveries.export': ExportResult
  'deliveries.get': Delivery
  'deliveries.delete': { deleted: boolean }
  'deliveries.clear': { deleted: number }
  'endpoints.list': Endpoint[]
  'endpoints.create': Endpoint
  'endpoints.update': Endpoint
  'endpoints.delete': { deleted: boolean }
  'endpoints.start': Endpoint
  'endpoints.stop': Endpoint
  'deliveries.verify': Verdict
  'store.health': StoreHealthStatus
  'deliveries.expectedSignature': ExpectedSignature
  'deliveries.decodedBody': DecodedBody
  'vault.status': VaultStatus
  'vault.unlock': VaultStatus
  'vault.setPassphrase': VaultStatus
  'keys.list': KeySummary[]
  'keys.create': KeySummary
  'keys.update': KeySummary
  'keys.activate': KeySummary[]
  'keys.delete': KeySummary
  'keys.remove': { removed: boolean }
  'keys.reveal': KeyMaterial
  'keys.import': KeyImportResult
  'keys.export': { bundle: string }
  'keys.signing': SigningOverview
  'verify.schemes': SchemeInfo[]
  'connections.rejected': RejectedConnection[]
  'certificates.list': CertificatesOverview
  'certificates.issueClient': CertificateSummary
  'certificates.importClient': CertificateSummary
  'certificates.exportClient': { files: CertificateFile[] }
  'certificates.remove': { removed: boolean }
  'certificates.importIssuer': CertificateSummary[]
  'certificates.exportCa': CertificateFile & { instructions: string }
  'certificates.regenerateCa': CertificateSummary
  'tunnels.list': TunnelView[]
  'tunnels.set': TunnelView
  'tunnels.remove': { removed: boolean }
  'forwarding.get': ForwardingConfig
  'forwarding.set': ForwardingConfig
  'attempts.list': AttemptPage
  'attempts.get': Attempt
  'attempts.retryNow': AttemptSummary
  'attempts.cancel': { cancelled: number }
  'replay.send': Attempt
  'replay.start': AttemptBatch
  'replay.batch': AttemptBatch
  'replay.cancel': AttemptBatch
  'sender.templates': EventTemplate[]
  'sender.send': { batch: AttemptBatch | null; attempts: Attempt[] }
  'settings.get': StoreSettingsView
  'settings.update': StoreSettingsView
}

export interface AttemptPage {
  items: AttemptSummary[]
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null
}

export type EngineMethod = keyof typeof methodSchemas
export type EngineParams<M extends EngineMethod> = z.input<(typeof methodSchemas)[M]>
export type ParsedParams<M extends EngineMethod> = z.output<(typeof methodSchemas)[M]>
export type EngineResult<M extends EngineMethod> = MethodResults[M]

export const engineMethods = Object.keys(methodSchemas) as EngineMethod[]

export function isEngineMethod(name: string): name is EngineMethod {
  return Object.hasOwn(methodSchemas, name)
}

/** Pushed to every subscriber. `stream.reset` is produced by a client transport after it reconnects: refetch. */
export type EngineEvent =
  | { type: 'delivery.added'; delivery: DeliverySummary }
  /** A delivery's verdict was recomputed. */
  | { type: 'delivery.updated'; delivery: DeliverySummary }
  /** Keys or the vault changed: refetch keys.list / vault.status. */
  | { type: 'keys.changed' }
  | { type: 'connection.rejected'; connection: RejectedConnection }
  /** Certificates changed: refetch certificates.list. */
  | { type: 'certificates.changed' }
  | { type: 'deliveries.removed'; ids: string[] }
  | { type: 'deliveries.cleared'; endpointId: string | null }
  | { type: 'endpoint.changed'; endpoint: Endpoint }
  | { type: 'endpoint.removed'; id: string }
  /** An export to a file is under way (`deliveries.export`): `written` of `total` deliveries. */
  | { type: 'export.progress'; exportId: string; written: number; total: number }
  /** A tunnel's configuration or health changed (status at once, metrics at most once a second). */
  | { type: 'tunnel.changed'; tunnel: TunnelView }
  | { type: 'tunnel.removed'; endpointId: string }
  /** A relay attempt was scheduled or started, a replay or a send started (see AttemptSummary.state). */
  | { type: 'attempt.added'; attempt: AttemptSummary }
  /** An attempt changed state: in flight, answered, failed, rescheduled, cancelled. */
  | { type: 'attempt.updated'; attempt: AttemptSummary }
  /** A bulk replay or a repeated send moved on (one event per finished attempt, and at the end). */
  | { type: 'batch.progress'; batch: AttemptBatch }
  /** An endpoint's forwarding rules or fallback changed. */
  | { type: 'forwarding.changed'; config: ForwardingConfig }
  /** The store's health changed (a full disk, damage found, writes working again). */
  | { type: 'store.health'; health: StoreHealthStatus }
  /** Deliveries still `unchecked` are being re-checked after a key change: `done === total` when finished. */
  | { type: 'deliveries.recheck'; schemes: string[]; done: number; total: number }
  | { type: 'settings.changed'; settings: StoreSettingsView }
  | { type: 'stream.reset' }

/** The one interface the renderer (and tests) program against, whatever the transport. */
export interface EngineClient {
  invoke<M extends EngineMethod>(method: M, params: EngineParams<M>): Promise<EngineResult<M>>
  subscribe(listener: (event: EngineEvent) => void): () => void
}

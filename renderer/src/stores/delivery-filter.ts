import type { DeliveryQuery, EngineParams } from '../../../shared/api/contract'
import type { DeliverySummary } from '../../../shared/model/delivery'
import type { VerdictStatus } from '../../../shared/model/verdict'

export type StatusFilter = number | '1xx' | '2xx' | '3xx' | '4xx' | '5xx'

/** Relative ranges are resolved when the list is fetched ("today" stays today in a shared link). */
export type TimePreset = '15m' | '1h' | '24h' | 'today' | '7d'
export type TimeFilter = { preset: TimePreset } | { from: number | null; to: number | null }

export interface DeliveryFilter {
  /** Free text; the engine searches path, header values, text bodies, verdict codes, schemes and event types. */
  q: string
  endpointId: string | null
  method: string | null
  /** The rest: absent or null means "any". */
  verdict?: VerdictStatus | null
  /** A verdict code such as SIG_MISMATCH. */
  code?: string | null
  scheme?: string | null
  /** The status Hookscope answered, exactly or by class. */
  status?: StatusFilter | null
  /** `invoice` also matches `invoice.paid`. */
  eventType?: string | null
  time?: TimeFilter | null
}

export const NO_FILTER: DeliveryFilter = { q: '', endpointId: null, method: null }

/** The structured fields (not the free text), for "N filters" badges and "clear". */
export const FILTER_FIELDS = ['endpointId', 'method', 'verdict', 'code', 'scheme', 'status', 'eventType', 'time'] as const
export type FilterField = (typeof FILTER_FIELDS)[number]

export function activeFields(filter: DeliveryFilter): FilterField[] {
  return FILTER_FIELDS.filter((field) => filter[field] !== null && filter[field] !== undefined)
}

export function isFilterActive(filter: DeliveryFilter): boolean {
  return filter.q.trim() !== '' || activeFields(filter).length > 0
}

const PRESET_MS: Record<Exclude<TimePreset, 'today'>, number> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000
}

/** The receivedAt bounds a time filter means at `now`: from inclusive, to exclusive. */
export function timeBounds(time: TimeFilter, now: number): { from?: number; to?: number } {
  if ('preset' in time) {
    if (time.preset === 'today') {
      const midnight = new Date(now)
      midnight.setHours(0, 0, 0, 0)
      return { from: midnight.getTime() }
    }
    return { from: Math.max(0, now - PRESET_MS[time.preset]) }
  }
  const bounds: { from?: number; to?: number } = {}
  if (time.from !== null) bounds.from = time.from
  if (time.to !== null) bounds.to = time.to
  return bounds
}

/** The engine query a filter means at `now` (no paging). */
export function queryOf(filter: DeliveryFilter, now: number = Date.now()): DeliveryQuery {
  const query: DeliveryQuery = {}
  const q = filter.q.trim()
  if (q) query.q = q
  if (filter.endpointId) query.endpointId = filter.endpointId
  if (filter.method) query.method = filter.method
  if (filter.verdict) query.verdict = filter.verdict
  if (filter.code) query.code = filter.code
  if (filter.scheme) query.scheme = filter.scheme
  if (filter.status !== null && filter.status !== undefined) query.status = filter.status
  if (filter.eventType) query.eventType = filter.eventType
  if (filter.time) Object.assign(query, timeBounds(filter.time, now))
  return query
}

export function listParams(filter: DeliveryFilter, limit: number, cursor?: string | null, now: number = Date.now()): EngineParams<'deliveries.list'> {
  const params: EngineParams<'deliveries.list'> = { limit, ...queryOf(filter, now) }
  if (cursor) params.cursor = cursor
  return params
}

/** `invoice` matches `invoice` and `invoice.paid`, as the engine does. */
export function eventTypeMatches(eventType: string | null, wanted: string): boolean {
  return eventType !== null && (eventType === wanted || eventType.startsWith(`${wanted}.`))
}

export function statusMatches(status: number, wanted: StatusFilter): boolean {
  if (typeof wanted === 'number') return status === wanted
  const low = Number(wanted[0]) * 100
  return status >= low && status < low + 100
}

/**
 * Whether a live delivery belongs in the filtered list; null when only the engine can tell
 * (free text also searches headers and bodies, which summaries do not carry). `now` places
 * relative time ranges.
 */
export function matchesFilter(summary: DeliverySummary, filter: DeliveryFilter, now: number = Date.now()): boolean | null {
  if (filter.endpointId !== null && summary.endpointId !== filter.endpointId) return false
  if (filter.method !== null && summary.method.toUpperCase() !== filter.method.toUpperCase()) return false
  if (filter.verdict && summary.verdict?.status !== filter.verdict) return false
  if (filter.code && summary.verdict?.code !== filter.code) return false
  if (filter.scheme && summary.verdict?.scheme !== filter.scheme) return false
  if (filter.status !== null && filter.status !== undefined && !statusMatches(summary.responseStatus, filter.status)) return false
  if (filter.eventType && !eventTypeMatches(summary.eventType ?? null, filter.eventType)) return false
  if (filter.time) {
    const { from, to } = timeBounds(filter.time, now)
    if ((from !== undefined && summary.receivedAt < from) || (to !== undefined && summary.receivedAt >= to)) return false
  }
  return filter.q.trim() === '' ? true : null
}

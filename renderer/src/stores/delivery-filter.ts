import type { EngineParams } from '../../../shared/api/contract'
import type { DeliverySummary } from '../../../shared/model/delivery'

export interface DeliveryFilter {
  /** Free text; the engine searches path, header values and text bodies. */
  q: string
  endpointId: string | null
  method: string | null
}

export const NO_FILTER: DeliveryFilter = { q: '', endpointId: null, method: null }

export function isFilterActive(filter: DeliveryFilter): boolean {
  return filter.q.trim() !== '' || filter.endpointId !== null || filter.method !== null
}

export function listParams(filter: DeliveryFilter, limit: number, cursor?: string | null): EngineParams<'deliveries.list'> {
  const params: EngineParams<'deliveries.list'> = { limit }
  const q = filter.q.trim()
  if (q) params.q = q
  if (filter.endpointId) params.endpointId = filter.endpointId
  if (filter.method) params.method = filter.method
  if (cursor) params.cursor = cursor
  return params
}

/**
 * Whether a live delivery belongs in the filtered list; null when only the engine can tell
 * (free text also searches headers and bodies, which summaries do not carry).
 */
export function matchesFilter(summary: DeliverySummary, filter: DeliveryFilter): boolean | null {
  if (filter.endpointId !== null && summary.endpointId !== filter.endpointId) return false
  if (filter.method !== null && summary.method.toUpperCase() !== filter.method.toUpperCase()) return false
  return filter.q.trim() === '' ? true : null
}

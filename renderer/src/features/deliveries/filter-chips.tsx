import { useDeliveries, useEndpoints } from '../../app/services-context'
import { formatDateTimeShort } from '../../lib/format'
import { activeFields, type DeliveryFilter, type FilterField } from '../../stores/delivery-filter'
import { TIME_PRESET_LABELS } from './time-presets'

const LABELS: Record<FilterField, string> = {
  endpointId: 'endpoint',
  method: 'method',
  verdict: 'verdict',
  code: 'code',
  scheme: 'scheme',
  status: 'answered',
  eventType: 'event',
  time: 'time'
}

/** The active structured filters, each removable, while the panel is folded away. */
export function FilterChips() {
  const filter = useDeliveries((s) => s.filter)
  const setFilter = useDeliveries((s) => s.setFilter)
  const endpoints = useEndpoints((s) => s.endpoints)
  const fields = activeFields(filter)
  return (
    <div className="filter-chips" data-testid="filter-chips">
      {fields.map((field) => {
        const value =
          field === 'endpointId' ? (endpoints.find((endpoint) => endpoint.id === filter.endpointId)?.name ?? filter.endpointId) : describe(field, filter)
        return (
          <span key={field} className="filter-chip" data-testid="filter-chip" data-field={field}>
            <span className="muted">{LABELS[field]}:</span> {value}
            <button type="button" className="chip-remove" aria-label={`Remove the ${LABELS[field]} filter`} onClick={() => setFilter({ [field]: null })}>
              ×
            </button>
          </span>
        )
      })}
    </div>
  )
}

function describe(field: FilterField, filter: DeliveryFilter): string {
  if (field === 'time') {
    const time = filter.time!
    if ('preset' in time) return TIME_PRESET_LABELS[time.preset].toLowerCase()
    const from = time.from === null ? '…' : formatDateTimeShort(time.from)
    const to = time.to === null ? '…' : formatDateTimeShort(time.to)
    return `${from} – ${to}`
  }
  return String(filter[field])
}

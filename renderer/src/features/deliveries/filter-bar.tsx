import { forwardRef, useEffect, useState } from 'react'
import { STATUS_CLASSES, VERDICT_STATUSES } from '../../../../shared/api/contract'
import type { VerdictStatus } from '../../../../shared/model/verdict'
import { useDeliveries, useEndpoints } from '../../app/services-context'
import { activeFields, type DeliveryFilter, type StatusFilter, type TimeFilter, type TimePreset } from '../../stores/delivery-filter'
import { FilterChips } from './filter-chips'
import { COMMON_METHODS } from './method-class'
import { TIME_PRESET_LABELS } from './time-presets'
import { TimeRangeInputs } from './time-range-inputs'

/**
 * Free text (path, headers, body text, verdict codes, schemes, event types) plus the structured
 * filters in a panel that folds away; what is active stays visible as chips.
 */
export const FilterBar = forwardRef<HTMLInputElement>(function FilterBar(_props, searchRef) {
  const filter = useDeliveries((s) => s.filter)
  const setQuery = useDeliveries((s) => s.setQuery)
  const paused = useDeliveries((s) => s.paused)
  const held = useDeliveries((s) => s.held)
  const setPaused = useDeliveries((s) => s.setPaused)
  const [open, setOpen] = useState(false)
  const active = activeFields(filter).length

  return (
    <div className="filter-area">
      <div className="filter-bar">
        <input
          ref={searchRef}
          type="search"
          className="filter-input"
          data-testid="filter-input"
          placeholder="Search path, headers, body, codes ( / )"
          aria-label="Search deliveries"
          value={filter.q}
          maxLength={500}
          spellCheck={false}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur()
          }}
        />
        <button
          type="button"
          className={active > 0 ? 'btn btn-filters active' : 'btn btn-filters'}
          data-testid="filters-toggle"
          aria-expanded={open}
          aria-controls="filter-panel"
          onClick={() => setOpen(!open)}
        >
          Filters{active > 0 && <span className="count-badge">{active}</span>}
        </button>
        <button
          type="button"
          className={paused ? 'btn btn-pause paused' : 'btn btn-pause'}
          data-testid="pause-toggle"
          aria-pressed={paused}
          title={paused ? 'Show new deliveries again' : 'Stop adding new deliveries to the list (they are still captured)'}
          onClick={() => setPaused(!paused)}
        >
          {paused ? `Resume${held > 0 ? ` (${held.toLocaleString()} new)` : ''}` : 'Pause'}
        </button>
      </div>
      {open && <FilterPanel />}
      {!open && active > 0 && <FilterChips />}
    </div>
  )
})

function FilterPanel() {
  const filter = useDeliveries((s) => s.filter)
  const facets = useDeliveries((s) => s.facets)
  const loadFacets = useDeliveries((s) => s.loadFacets)
  const setFilter = useDeliveries((s) => s.setFilter)
  const clearFilters = useDeliveries((s) => s.clearFilters)
  const endpoints = useEndpoints((s) => s.endpoints)
  const [eventDraft, setEventDraft] = useState(filter.eventType ?? '')

  useEffect(() => {
    void loadFacets()
  }, [loadFacets])
  useEffect(() => setEventDraft(filter.eventType ?? ''), [filter.eventType])

  const orNull = (value: string) => (value === '' ? null : value)
  const commitEventType = () => {
    const value = eventDraft.trim()
    if ((filter.eventType ?? '') !== value) setFilter({ eventType: orNull(value) })
  }
  const statusValue = filter.status === null || filter.status === undefined ? '' : String(filter.status)
  const timeValue = !filter.time ? '' : 'preset' in filter.time ? filter.time.preset : 'custom'
  const codes = withCurrent(facets?.codes ?? [], filter.code)
  const schemes = withCurrent(facets?.schemes ?? [], filter.scheme)
  const statuses = facets?.statuses ?? []

  return (
    <div className="filter-panel" id="filter-panel" data-testid="filter-panel">
      <ChoiceFilter
        label="Endpoint"
        testId="endpoint-filter"
        value={filter.endpointId}
        choices={endpoints.map((endpoint) => [endpoint.id, endpoint.name])}
        onChange={(endpointId) => setFilter({ endpointId })}
      />
      <ChoiceFilter label="Method" testId="method-filter" value={filter.method} choices={COMMON_METHODS} onChange={(method) => setFilter({ method })} />
      <ChoiceFilter
        label="Verdict"
        testId="verdict-filter"
        value={filter.verdict}
        choices={VERDICT_STATUSES}
        onChange={(verdict) => setFilter({ verdict: verdict as VerdictStatus | null })}
      />
      <ChoiceFilter label="Code" testId="code-filter" value={filter.code} choices={codes} onChange={(code) => setFilter({ code })} />
      <ChoiceFilter label="Scheme" testId="scheme-filter" value={filter.scheme} choices={schemes} onChange={(scheme) => setFilter({ scheme })} />
      <label>
        <span>Answered</span>
        <select data-testid="status-filter" value={statusValue} onChange={(event) => setFilter({ status: parseStatusChoice(event.target.value) })}>
          <option value="">Any status</option>
          {STATUS_CLASSES.map((statusClass) => (
            <option key={statusClass} value={statusClass}>
              {statusClass}
            </option>
          ))}
          {withCurrentNumber(statuses, typeof filter.status === 'number' ? filter.status : null).map((status) => (
            <option key={status} value={String(status)}>
              {status}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Event type</span>
        <input
          data-testid="event-type-filter"
          list="event-type-options"
          value={eventDraft}
          maxLength={120}
          spellCheck={false}
          placeholder="invoice.paid, push…"
          onChange={(event) => setEventDraft(event.target.value)}
          onBlur={commitEventType}
          onKeyDown={(event) => {
            if (event.key === 'Enter') commitEventType()
          }}
        />
        <datalist id="event-type-options">
          {(facets?.eventTypes ?? []).map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
      </label>
      <label>
        <span>Time</span>
        <select data-testid="time-filter" value={timeValue} onChange={(event) => setFilter({ time: timeChoice(event.target.value, filter.time ?? null) })}>
          <option value="">Any time</option>
          {(Object.keys(TIME_PRESET_LABELS) as TimePreset[]).map((preset) => (
            <option key={preset} value={preset}>
              {TIME_PRESET_LABELS[preset]}
            </option>
          ))}
          <option value="custom">Between…</option>
        </select>
      </label>
      {filter.time && !('preset' in filter.time) && <TimeRangeInputs range={filter.time} onChange={(time) => setFilter({ time })} />}
      <div className="filter-panel-actions">
        <button type="button" className="btn btn-small" data-testid="clear-filters" disabled={activeFields(filter).length === 0} onClick={clearFilters}>
          Clear filters
        </button>
      </div>
    </div>
  )
}

interface ChoiceFilterProps {
  label: string
  testId: string
  value: string | null | undefined
  /** Values, or [value, label] pairs. */
  choices: readonly (string | readonly [string, string])[]
  onChange: (value: string | null) => void
}

/** One "Any" or a value from a list. */
function ChoiceFilter({ label, testId, value, choices, onChange }: ChoiceFilterProps) {
  return (
    <label>
      <span>{label}</span>
      <select data-testid={testId} value={value ?? ''} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}>
        <option value="">Any</option>
        {choices.map((choice) => {
          const [optionValue, optionLabel] = typeof choice === 'string' ? [choice, choice] : choice
          return (
            <option key={optionValue} value={optionValue}>
              {optionLabel}
            </option>
          )
        })}
      </select>
    </label>
  )
}

/** A value from a link may not be among the facets (yet): keep it selectable. */
function withCurrent(values: readonly string[], current: string | null | undefined): string[] {
  return current && !values.includes(current) ? [current, ...values] : [...values]
}

function withCurrentNumber(values: readonly number[], current: number | null): number[] {
  return current !== null && !values.includes(current) ? [current, ...values] : [...values]
}

function parseStatusChoice(value: string): StatusFilter | null {
  if (value === '') return null
  return /^\d+$/.test(value) ? Number(value) : (value as StatusFilter)
}

function timeChoice(value: string, current: TimeFilter | null): DeliveryFilter['time'] {
  if (value === '') return null
  if (value === 'custom') return current && !('preset' in current) ? current : { from: null, to: null }
  return { preset: value as TimePreset }
}

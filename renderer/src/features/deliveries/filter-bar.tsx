import { useDeliveries, useEndpoints } from '../../app/services-context'
import { COMMON_METHODS } from './method-class'

export function FilterBar() {
  const filter = useDeliveries((s) => s.filter)
  const setQuery = useDeliveries((s) => s.setQuery)
  const setEndpointFilter = useDeliveries((s) => s.setEndpointFilter)
  const setMethodFilter = useDeliveries((s) => s.setMethodFilter)
  const endpoints = useEndpoints((s) => s.endpoints)

  return (
    <div className="filter-bar">
      <input
        type="search"
        className="filter-input"
        data-testid="filter-input"
        placeholder="Filter: path, headers, body text"
        aria-label="Filter deliveries"
        value={filter.q}
        maxLength={500}
        spellCheck={false}
        onChange={(event) => setQuery(event.target.value)}
      />
      <select
        data-testid="endpoint-filter"
        aria-label="Endpoint"
        value={filter.endpointId ?? ''}
        onChange={(event) => setEndpointFilter(event.target.value || null)}
      >
        <option value="">All endpoints</option>
        {endpoints.map((endpoint) => (
          <option key={endpoint.id} value={endpoint.id}>
            {endpoint.name}
          </option>
        ))}
      </select>
      <select
        data-testid="method-filter"
        aria-label="Method"
        value={filter.method ?? ''}
        onChange={(event) => setMethodFilter(event.target.value || null)}
      >
        <option value="">Any method</option>
        {COMMON_METHODS.map((method) => (
          <option key={method} value={method}>
            {method}
          </option>
        ))}
      </select>
    </div>
  )
}

import { useEndpoints } from '../../app/services-context'

/** Which endpoints a key applies to; none ticked means every endpoint. */
export function EndpointPicker({ value, onChange }: { value: readonly string[]; onChange: (ids: string[]) => void }) {
  const endpoints = useEndpoints((s) => s.endpoints)
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((item) => item !== id))
  // Bound ids whose endpoint is gone stay listed, so they can be unticked.
  const orphans = value.filter((id) => !endpoints.some((endpoint) => endpoint.id === id))
  return (
    <fieldset className="endpoint-picker" aria-label="Endpoints" data-testid="key-endpoints">
      {endpoints.length === 0 && orphans.length === 0 && <span className="muted">No endpoints.</span>}
      {[...endpoints.map((endpoint) => ({ id: endpoint.id, name: endpoint.name })), ...orphans.map((id) => ({ id, name: id }))].map(({ id, name }) => (
        <label key={id} className="check">
          <input type="checkbox" checked={value.includes(id)} data-testid={`key-endpoint-${id}`} onChange={(event) => toggle(id, event.target.checked)} />
          {name}
        </label>
      ))}
    </fieldset>
  )
}

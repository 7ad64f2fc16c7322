import { useMemo } from 'react'
import { parseFormUrlencoded } from '../../../../shared/lib/form-urlencoded'

export function FormView({ bytes }: { bytes: Uint8Array }) {
  const pairs = useMemo(() => parseFormUrlencoded(bytes), [bytes])
  if (pairs.length === 0) return <p className="muted">No form fields.</p>
  return (
    <table className="kv-table" data-testid="form-view">
      <thead>
        <tr>
          <th>Name</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {pairs.map(([name, value], index) => (
          <tr key={index}>
            <td className="header-name">{name}</td>
            <td className="header-value">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

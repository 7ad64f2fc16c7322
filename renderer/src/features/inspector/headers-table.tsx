import type { RawHeader } from '../../../../shared/model/delivery'

/** One row per header line, in received order and exact case, duplicates kept. */
export function HeadersTable({ headers }: { headers: readonly RawHeader[] }) {
  if (headers.length === 0) return <p className="muted">No headers.</p>
  return (
    <table className="headers-table" data-testid="headers-table">
      <tbody>
        {headers.map(([name, value], index) => (
          <tr key={index} data-testid="header-row">
            <td className="header-name">{name}</td>
            <td className="header-value">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

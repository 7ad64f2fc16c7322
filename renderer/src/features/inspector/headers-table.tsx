import type { RawHeader } from '../../../../shared/model/delivery'

/**
 * One row per header line, in received order and exact case, duplicates kept. Values are text;
 * the ones listed in `latin1` were not UTF-8 and show one character per byte, marked as such.
 */
export function HeadersTable({ headers, latin1 = [] }: { headers: readonly RawHeader[]; latin1?: readonly number[] }) {
  if (headers.length === 0) return <p className="muted">No headers.</p>
  return (
    <table className="headers-table" data-testid="headers-table">
      <tbody>
        {headers.map(([name, value], index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: header lines are immutable, in received order, duplicates kept: position is their identity
          <tr key={index} data-testid="header-row">
            <td className="header-name">{name}</td>
            <td className="header-value">
              {value}
              {latin1.includes(index) && (
                <span
                  className="header-bytes muted small"
                  data-testid="header-latin1"
                  title="These bytes are not UTF-8: each character shown is one byte (Latin-1)."
                >
                  {' '}
                  (not UTF-8: bytes as Latin-1)
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

import type { HeaderDiffRow } from './delivery-diff'

const MARK: Record<HeaderDiffRow['change'], string> = { same: ' ', changed: '~', added: '+', removed: '−' }

/** Headers side by side, by name; values are text nodes (never HTML). */
export function HeaderDiffTable({ rows, showSame }: { rows: readonly HeaderDiffRow[]; showSame: boolean }) {
  const shown = showSame ? rows : rows.filter((row) => row.change !== 'same')
  if (shown.length === 0)
    return (
      <p className="muted" data-testid="diff-headers-equal">
        The headers are the same.
      </p>
    )
  return (
    <table className="diff-headers" data-testid="diff-headers">
      <thead>
        <tr>
          <th />
          <th>Header</th>
          <th>Left</th>
          <th>Right</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((row) => (
          <tr key={row.name.toLowerCase()} className={`diff-header-${row.change}`} data-change={row.change} data-testid="diff-header-row">
            <td className="diff-mark">{MARK[row.change]}</td>
            <td className="mono">{row.name}</td>
            <td className="mono diff-value">{row.left.join('\n')}</td>
            <td className="mono diff-value">{row.right.join('\n')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

import { formatBytes } from '../../lib/format'
import { type BodyDiff, foldUnchanged } from './delivery-diff'

const PREFIX = { same: '  ', add: '+ ', remove: '- ' } as const

/** A unified line diff of two bodies (canonical JSON when both are JSON); plain text, folded around changes. */
export function BodyDiffView({ diff }: { diff: BodyDiff }) {
  if (diff.kind === 'binary' || diff.kind === 'too-large') {
    const why = diff.kind === 'binary' ? 'At least one body is not UTF-8 text' : 'The bodies are too large to diff line by line'
    return (
      <p className="muted" data-testid="diff-body-summary">
        {why}: {diff.equal ? 'they are byte-for-byte equal' : 'they differ'} ({formatBytes(diff.leftSize)} vs {formatBytes(diff.rightSize)}).
      </p>
    )
  }
  if (diff.equal)
    return (
      <p className="muted" data-testid="diff-body-equal">
        The bodies are byte-for-byte equal.
      </p>
    )
  const lines = foldUnchanged(diff.lines)
  return (
    <div data-testid="diff-body" data-kind={diff.kind}>
      {diff.kind === 'json' && !diff.lines.some((line) => line.op !== 'same') && (
        <p className="notice" data-testid="diff-body-same-json">
          The bytes differ, but the JSON is the same (key order, whitespace or escapes changed: a signature over the bytes breaks).
        </p>
      )}
      <pre className="diff-lines">
        {lines.map((line, index) =>
          line.op === 'fold' ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: a computed diff is immutable and may repeat lines; position is its identity
            <div key={index} className="diff-fold">
              … {line.count} unchanged line{line.count === 1 ? '' : 's'}
            </div>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: same list, same reason
            <div key={index} className={`diff-line diff-${line.op}`} data-op={line.op}>
              {PREFIX[line.op]}
              {line.text}
            </div>
          )
        )}
      </pre>
    </div>
  )
}

import { useState } from 'react'
import { useExports } from '../../app/services-context'

/**
 * "Export" for what the list's filter matches, as NDJSON or HAR. While it runs: how far it is
 * (and Cancel where the transport can stop); then where it went, or why it failed.
 */
export function ExportControls({ disabled }: { disabled: boolean }) {
  const status = useExports((s) => s.status)
  const format = useExports((s) => s.format)
  const written = useExports((s) => s.written)
  const total = useExports((s) => s.total)
  const message = useExports((s) => s.message)
  const cancellable = useExports((s) => s.cancellable)
  const start = useExports((s) => s.start)
  const cancel = useExports((s) => s.cancel)
  const dismiss = useExports((s) => s.dismiss)
  const [choosing, setChoosing] = useState(false)

  if (status === 'running') {
    const percent = total > 0 ? Math.floor((written / total) * 100) : 0
    return (
      <span className="export-status" data-testid="export-status" data-state="running" role="status">
        <span>
          Exporting {format?.toUpperCase()}: {written.toLocaleString('en-US')} of {total.toLocaleString('en-US')}
        </span>
        <progress max={100} value={percent} data-testid="export-progress" aria-label="Export progress" />
        {cancellable && (
          <button type="button" className="btn btn-small" data-testid="export-cancel" onClick={cancel}>
            Cancel
          </button>
        )}
      </span>
    )
  }

  if (status !== 'idle') {
    const text =
      status === 'done'
        ? `Exported ${written.toLocaleString('en-US')} ${written === 1 ? 'delivery' : 'deliveries'} to ${message}`
        : status === 'cancelled'
          ? 'Export cancelled'
          : `Export failed: ${message}`
    return (
      <span className={`export-status export-${status}`} data-testid="export-status" data-state={status} role="status">
        <span className="export-text" title={text}>
          {text}
        </span>
        <button type="button" className="btn-link" aria-label="Dismiss" data-testid="export-dismiss" onClick={dismiss}>
          ×
        </button>
      </span>
    )
  }

  if (choosing) {
    const pick = (chosen: 'ndjson' | 'har') => {
      setChoosing(false)
      void start(chosen)
    }
    return (
      <fieldset className="export-choice" aria-label="Export format">
        <button type="button" className="btn btn-small" data-testid="export-ndjson" onClick={() => pick('ndjson')}>
          NDJSON
        </button>
        <button type="button" className="btn btn-small" data-testid="export-har" onClick={() => pick('har')}>
          HAR
        </button>
        <button type="button" className="btn-link" aria-label="Close" onClick={() => setChoosing(false)}>
          ×
        </button>
      </fieldset>
    )
  }

  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="export-open"
      disabled={disabled}
      title="Save what the filter matches"
      onClick={() => setChoosing(true)}
    >
      Export…
    </button>
  )
}

import { useState } from 'react'
import { useDeliveries } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { isFilterActive, queryOf } from '../../stores/delivery-filter'
import { useRelay, useRelayStore } from '../relay/relay-hooks'
import { targetWarning } from '../relay/target-url'
import { KeyPicker } from './key-picker'
import { Modal } from './modal'

function BulkReplayDialog({ onClose }: { onClose(): void }) {
  const rows = useDeliveries((s) => s.rows)
  const filter = useDeliveries((s) => s.filter)
  const selectedId = useDeliveries((s) => s.selectedId)
  const bulk = useRelayStore('bulkReplay')
  const batch = useRelay('bulkReplay', (s) => s.batch)
  const starting = useRelay('bulkReplay', (s) => s.starting)
  const error = useRelay('bulkReplay', (s) => s.error)
  const [scope, setScope] = useState<'filter' | 'selection'>(selectedId ? 'selection' : 'filter')
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(selectedId ? [selectedId] : []))
  const [target, setTarget] = useState<'rule' | 'url'>('rule')
  const [url, setUrl] = useState('http://127.0.0.1:3000/')
  const [resign, setResign] = useState(false)
  const [keyId, setKeyId] = useState<string | null>(null)
  const [concurrency, setConcurrency] = useState('4')
  const [rate, setRate] = useState('')
  const [formError, setFormError] = useState<string | null>(null)
  const running = batch?.state === 'running'
  const warning = target === 'url' ? targetWarning(url) : null

  const start = () => {
    const parallel = Number(concurrency)
    const perSecond = rate.trim() === '' ? undefined : Number(rate)
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 32) return setFormError('At once: a whole number from 1 to 32.')
    if (perSecond !== undefined && !(perSecond > 0 && perSecond <= 1000)) return setFormError('Rate: replays per second, up to 1000 (empty: no limit).')
    if (target === 'url' && !/^https?:\/\/\S+$/i.test(url.trim())) return setFormError('The target must be an http:// or https:// URL.')
    if (resign && !keyId) return setFormError('Choose the key to re-sign with.')
    if (scope === 'selection' && chosen.size === 0) return setFormError('Choose at least one delivery.')
    setFormError(null)
    void bulk.getState().start(scope === 'selection' ? { kind: 'selection', deliveryIds: [...chosen] } : { kind: 'filter', filter: { ...queryOf(filter) } }, {
      to: target === 'url' ? url.trim() : undefined,
      resignKeyId: resign && keyId ? keyId : undefined,
      concurrency: parallel,
      ratePerSecond: perSecond
    })
  }

  const close = () => {
    if (!running) bulk.getState().reset()
    onClose()
  }

  return (
    <Modal title="Bulk replay" onClose={close} testId="bulk-replay-dialog">
      <fieldset disabled={running || starting}>
        <legend>Which deliveries</legend>
        <label>
          <input type="radio" checked={scope === 'filter'} onChange={() => setScope('filter')} data-testid="bulk-scope-filter" />{' '}
          {isFilterActive(filter) ? 'Every delivery matching the current filter' : 'Every delivery'}{' '}
          <span className="muted">(at most 10,000, newest first)</span>
        </label>
        <label>
          <input type="radio" checked={scope === 'selection'} onChange={() => setScope('selection')} data-testid="bulk-scope-selection" /> The ones ticked below
          ({chosen.size})
        </label>
        {scope === 'selection' && (
          <ul className="bulk-choices" data-testid="bulk-choices">
            {rows.slice(0, 500).map((row) => (
              <li key={row.id}>
                <label className="mono small">
                  <input
                    type="checkbox"
                    checked={chosen.has(row.id)}
                    onChange={(event) => {
                      const next = new Set(chosen)
                      if (event.target.checked) next.add(row.id)
                      else next.delete(row.id)
                      setChosen(next)
                    }}
                    data-testid="bulk-choice"
                    data-id={row.id}
                  />{' '}
                  {row.method} {row.url}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <fieldset disabled={running || starting}>
        <legend>Where and how</legend>
        <label>
          <input type="radio" checked={target === 'rule'} onChange={() => setTarget('rule')} /> Each to its forwarding rule’s target
        </label>
        <label>
          <input type="radio" checked={target === 'url'} onChange={() => setTarget('url')} data-testid="bulk-target-url" /> URL{' '}
          <input
            type="text"
            className="mono"
            value={url}
            onChange={(event) => {
              setUrl(event.target.value)
              setTarget('url')
            }}
            data-testid="bulk-url"
          />
        </label>
        {warning && <p className="notice small">{warning}</p>}
        <label>
          <input type="checkbox" checked={resign} onChange={(event) => setResign(event.target.checked)} data-testid="bulk-resign" /> Re-sign each with a keyring
          key
        </label>
        {resign && <KeyPicker value={keyId} onChange={setKeyId} testId="bulk-key" />}
        <div className="inline-fields">
          <label>
            at once{' '}
            <input
              type="text"
              className="mono short"
              value={concurrency}
              onChange={(event) => setConcurrency(event.target.value)}
              data-testid="bulk-concurrency"
            />
          </label>
          <label>
            at most{' '}
            <input type="text" className="mono short" value={rate} placeholder="∞" onChange={(event) => setRate(event.target.value)} data-testid="bulk-rate" />{' '}
            per second
          </label>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="button" className="btn btn-primary" disabled={running || starting} onClick={start} data-testid="bulk-start">
          {starting ? 'Starting…' : 'Replay'}
        </button>
        {running && (
          <button type="button" className="btn" onClick={() => void bulk.getState().cancel()} data-testid="bulk-cancel">
            Stop
          </button>
        )}
        {formError && <span className="field-error">{formError}</span>}
      </div>
      {error && <ErrorBanner message={error} testId="bulk-error" />}
      {batch && (
        <div className="bulk-progress" data-testid="bulk-progress" data-state={batch.state} data-done={batch.done} data-total={batch.total}>
          <progress max={Math.max(batch.total, 1)} value={batch.done} />
          <span className="small">
            {batch.done} of {batch.total} replayed · {batch.succeeded} succeeded · {batch.failed} failed
            {batch.state === 'cancelled' ? ' · stopped' : batch.state === 'finished' ? ' · done' : ''}
          </span>
        </div>
      )}
    </Modal>
  )
}

/** "Replay…" for many deliveries at once, from the list. */
export function BulkReplayButton() {
  const [open, setOpen] = useState(false)
  const count = useDeliveries((s) => s.rows.length)
  return (
    <>
      <button type="button" className="btn btn-small" disabled={count === 0} onClick={() => setOpen(true)} data-testid="bulk-replay-open">
        Replay many…
      </button>
      {open && <BulkReplayDialog onClose={() => setOpen(false)} />}
    </>
  )
}

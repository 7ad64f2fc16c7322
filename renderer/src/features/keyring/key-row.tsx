import { useRef, useState } from 'react'
import type { KeyMaterial, KeySummary } from '../../../../shared/model/keyring'
import { useEndpoints, useKeys } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { KeyStatus } from './key-status'
import { RevealedMaterial } from './revealed-material'

const COLUMNS = 7

type Reveal = { state: 'hidden' } | { state: 'loading' } | { state: 'shown'; material: KeyMaterial } | { state: 'error'; message: string }

/**
 * One key. Revealed material is held in this component's state only: Hide, or the row going
 * away (page switch, key removed), drops it.
 */
export function KeyRow({ keySummary }: { keySummary: KeySummary }) {
  const { id, status } = keySummary
  const busy = useKeys((s) => s.busyIds[id] === true)
  const schemeLabel = useKeys((s) => s.schemes.find((scheme) => scheme.id === keySummary.scheme)?.label ?? null)
  const activate = useKeys((s) => s.activate)
  const deleteKey = useKeys((s) => s.deleteKey)
  const removeKey = useKeys((s) => s.removeKey)
  const reveal = useKeys((s) => s.reveal)
  const [shown, setShown] = useState<Reveal>({ state: 'hidden' })
  // Hide pressed while the engine is still answering must win over the late answer.
  const request = useRef(0)

  const doReveal = async () => {
    const current = ++request.current
    setShown({ state: 'loading' })
    const outcome = await reveal(id)
    if (current !== request.current) return
    setShown(outcome.ok ? { state: 'shown', material: outcome.value } : { state: 'error', message: outcome.error })
  }

  const hide = () => {
    request.current++
    setShown({ state: 'hidden' })
  }

  return (
    <>
      <tr className={`key-row key-row-${status.toLowerCase()}`} data-testid="key-row" data-id={id} data-status={status}>
        <td>
          <div className="key-name" data-testid="key-name">
            {keySummary.name}
          </div>
          <div className="small muted mono">{id}</div>
          {keySummary.notes && (
            <div className="key-notes small" title={keySummary.notes}>
              {keySummary.notes}
            </div>
          )}
        </td>
        <td>
          <div>{schemeLabel ?? keySummary.scheme}</div>
          <div className="small muted mono">{keySummary.scheme}</div>
          <div className="small muted">{keySummary.fields.join(', ') || 'no material'}</div>
          {Object.keys(keySummary.options).length > 0 && <div className="small mono key-options">{JSON.stringify(keySummary.options)}</div>}
        </td>
        <td className="mono">{keySummary.keyId ?? <span className="muted">—</span>}</td>
        <td>{keySummary.group}</td>
        <td>
          <KeyStatus keySummary={keySummary} />
        </td>
        <td>
          <Bindings endpointIds={keySummary.endpointIds} pathPrefixes={keySummary.pathPrefixes} />
        </td>
        <td>
          <div className="key-actions">
            {status === 'INACTIVE' && (
              <button type="button" className="btn btn-small" data-testid="key-activate" disabled={busy} onClick={() => void activate(id)}>
                Activate
              </button>
            )}
            {shown.state === 'shown' || shown.state === 'loading' ? (
              <button type="button" className="btn btn-small" data-testid="key-reveal-hide" onClick={hide}>
                Hide
              </button>
            ) : (
              <button type="button" className="btn btn-small" data-testid="key-reveal" onClick={() => void doReveal()}>
                Reveal
              </button>
            )}
            {status !== 'DELETED' && (
              <ConfirmButton
                label="Delete"
                confirmLabel="Mark DELETED"
                className="btn-small"
                onConfirm={() => void deleteKey(id)}
                disabled={busy}
                testId="key-delete"
              />
            )}
            <ConfirmButton
              label="Remove"
              confirmLabel="Remove permanently"
              className="btn-small"
              onConfirm={() => void removeKey(id)}
              disabled={busy}
              testId="key-remove"
            />
          </div>
        </td>
      </tr>
      {shown.state !== 'hidden' && (
        <tr className="key-reveal-row">
          <td colSpan={COLUMNS}>
            {shown.state === 'loading' && <span className="muted">Decrypting…</span>}
            {shown.state === 'error' && (
              <span className="field-error" role="alert" data-testid="key-reveal-error">
                {shown.message}
              </span>
            )}
            {shown.state === 'shown' && <RevealedMaterial material={shown.material} onHide={hide} />}
          </td>
        </tr>
      )}
    </>
  )
}

function Bindings({ endpointIds, pathPrefixes }: Pick<KeySummary, 'endpointIds' | 'pathPrefixes'>) {
  const endpoints = useEndpoints((s) => s.endpoints)
  const names = endpointIds.map((id) => endpoints.find((endpoint) => endpoint.id === id)?.name ?? id)
  return (
    <div className="key-bindings small" data-testid="key-bindings">
      <div>{names.length === 0 ? <span className="muted">all endpoints</span> : names.join(', ')}</div>
      <div>{pathPrefixes.length === 0 ? <span className="muted">all paths</span> : <span className="mono">{pathPrefixes.join(', ')}</span>}</div>
    </div>
  )
}

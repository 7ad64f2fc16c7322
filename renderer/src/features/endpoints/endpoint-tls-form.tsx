import { useState, type FormEvent } from 'react'
import type { Endpoint } from '../../../../shared/model/endpoint'
import { useEndpoints } from '../../app/services-context'
import { TlsFields } from './tls-fields'
import { draftFromTls, tlsFromDraft, type TlsDraft } from './tls-form'

/** Changes one endpoint's TLS settings; saving restarts its listener with them. */
export function EndpointTlsForm({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const update = useEndpoints((s) => s.update)
  const [draft, setDraft] = useState<TlsDraft>(() => draftFromTls(endpoint.tls))
  const [attempted, setAttempted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const result = tlsFromDraft(draft)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setAttempted(true)
    if (!result.ok || busy) return
    setBusy(true)
    setError(null)
    const outcome = await update(endpoint.id, { tls: result.tls })
    setBusy(false)
    if (outcome.ok) onClose()
    else setError(outcome.error)
  }

  return (
    <form className="endpoint-tls-form" data-testid="endpoint-tls-form" onSubmit={(event) => void submit(event)}>
      <TlsFields draft={draft} onChange={setDraft} errors={attempted && !result.ok ? result.errors : {}} disabled={busy} />
      {error && (
        <div className="field-error" role="alert" data-testid="endpoint-tls-error">
          {error}
        </div>
      )}
      <div className="endpoint-actions">
        <button type="submit" className="btn btn-small btn-primary" data-testid="endpoint-tls-save" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-small" data-testid="endpoint-tls-cancel" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}

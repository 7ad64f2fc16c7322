import { type FormEvent, useState } from 'react'
import type { Endpoint } from '../../../../shared/model/endpoint'
import { FormButtons } from './form-buttons'
import { TlsFields } from './tls-fields'
import { draftFromTls, type TlsDraft, tlsFromDraft } from './tls-form'
import { useEndpointSave } from './use-endpoint-save'

/** Changes one endpoint's TLS settings; saving restarts its listener with them. */
export function EndpointTlsForm({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const [draft, setDraft] = useState<TlsDraft>(() => draftFromTls(endpoint.tls))
  const { attempted, busy, error, save } = useEndpointSave(endpoint.id, onClose)
  const result = tlsFromDraft(draft)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void save(result.ok ? { tls: result.tls } : null)
  }

  return (
    <form className="endpoint-tls-form" data-testid="endpoint-tls-form" onSubmit={submit}>
      <TlsFields draft={draft} onChange={setDraft} errors={attempted && !result.ok ? result.errors : {}} disabled={busy} />
      {error && (
        <div className="field-error" role="alert" data-testid="endpoint-tls-error">
          {error}
        </div>
      )}
      <FormButtons busy={busy} testPrefix="endpoint-tls" onCancel={onClose} />
    </form>
  )
}

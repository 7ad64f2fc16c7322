import { type FormEvent, useState } from 'react'
import { useEndpoints } from '../../app/services-context'
import { TlsFields } from './tls-fields'
import { NEW_TLS_DRAFT, type TlsDraft, tlsFromDraft } from './tls-form'

export function CreateEndpointForm() {
  const create = useEndpoints((s) => s.create)
  const creating = useEndpoints((s) => s.creating)
  const [name, setName] = useState('')
  const [port, setPort] = useState('')
  const [tls, setTls] = useState<TlsDraft>(NEW_TLS_DRAFT)
  // Field errors show once the user tried to submit: not while a fingerprint is half typed.
  const [attempted, setAttempted] = useState(false)

  const portNumber = port.trim() === '' ? undefined : Number(port)
  const portValid = portNumber === undefined || (Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65535)
  const tlsResult = tlsFromDraft(tls)
  const valid = name.trim() !== '' && portValid && tlsResult.ok

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setAttempted(true)
    if (!valid || !tlsResult.ok) return
    // Plain http: leave TLS to the engine's defaults.
    const input = tls.mode === 'http' ? { name: name.trim(), port: portNumber } : { name: name.trim(), port: portNumber, tls: tlsResult.tls }
    if (await create(input)) {
      setName('')
      setPort('')
      setTls(NEW_TLS_DRAFT)
      setAttempted(false)
    }
  }

  return (
    <form className="create-endpoint" onSubmit={(event) => void submit(event)} data-testid="create-endpoint-form">
      <div className="panel-subtitle">New endpoint</div>
      <input
        data-testid="endpoint-name-input"
        placeholder="Name, e.g. stripe"
        aria-label="Endpoint name"
        value={name}
        maxLength={80}
        onChange={(event) => setName(event.target.value)}
      />
      <input
        data-testid="endpoint-port-input"
        placeholder="Port (empty: any free port)"
        aria-label="Port"
        inputMode="numeric"
        value={port}
        aria-invalid={!portValid}
        onChange={(event) => setPort(event.target.value)}
      />
      {!portValid && <div className="field-error">Port must be 0–65535.</div>}
      <TlsFields draft={tls} onChange={setTls} errors={attempted && !tlsResult.ok ? tlsResult.errors : {}} disabled={creating} />
      <button type="submit" className="btn btn-primary" data-testid="endpoint-create" disabled={name.trim() === '' || !portValid || creating}>
        {creating ? 'Creating…' : 'Create endpoint'}
      </button>
    </form>
  )
}

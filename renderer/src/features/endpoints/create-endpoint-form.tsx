import { useState, type FormEvent } from 'react'
import { useEndpoints } from '../../app/services-context'

export function CreateEndpointForm() {
  const create = useEndpoints((s) => s.create)
  const creating = useEndpoints((s) => s.creating)
  const [name, setName] = useState('')
  const [port, setPort] = useState('')

  const portNumber = port.trim() === '' ? undefined : Number(port)
  const portValid = portNumber === undefined || (Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65535)
  const valid = name.trim() !== '' && portValid

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!valid) return
    if (await create({ name: name.trim(), port: portNumber })) {
      setName('')
      setPort('')
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
      <button type="submit" className="btn btn-primary" data-testid="endpoint-create" disabled={!valid || creating}>
        {creating ? 'Creating…' : 'Create endpoint'}
      </button>
    </form>
  )
}

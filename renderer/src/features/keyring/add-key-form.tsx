import { type FormEvent, useState } from 'react'
import { useKeys } from '../../app/services-context'
import { EndpointPicker } from './endpoint-picker'
import { buildCreateParams, EMPTY_KEY_FORM, type KeyFormErrors, type KeyFormValues, materialFieldsFor } from './key-form'
import { MaterialInputs } from './material-inputs'

/**
 * Adds a key. Typed material lives only in this component's state and is dropped when the key is
 * created or the form closes. The browser checks syntax; the engine judges the key itself.
 */
export function AddKeyForm({ onClose }: { onClose: () => void }) {
  const schemes = useKeys((s) => s.schemes)
  const create = useKeys((s) => s.create)
  const [values, setValues] = useState<KeyFormValues>(EMPTY_KEY_FORM)
  const [errors, setErrors] = useState<KeyFormErrors>({})
  const [engineError, setEngineError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const scheme = schemes.find((item) => item.id === values.scheme)
  const fields = materialFieldsFor(scheme?.needs ?? [])
  const update = (patch: Partial<KeyFormValues>) => setValues((current) => ({ ...current, ...patch }))

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (busy) return
    const built = buildCreateParams(values, scheme?.needs ?? [])
    setErrors(built.ok ? {} : built.errors)
    setEngineError(null)
    if (!built.ok) return
    setBusy(true)
    const outcome = await create(built.params)
    setBusy(false)
    if (!outcome.ok) return setEngineError(outcome.error)
    setValues(EMPTY_KEY_FORM)
    onClose()
  }

  return (
    <form className="card key-form" data-testid="add-key-form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="card-title">
        <h2>Add a key</h2>
        <span className="spacer" />
        <button type="button" className="btn-link" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Name</span>
          <input
            data-testid="key-name-input"
            value={values.name}
            maxLength={120}
            placeholder="e.g. Orders (production)"
            aria-invalid={errors.name !== undefined}
            onChange={(event) => update({ name: event.target.value })}
          />
          {errors.name && <span className="field-error">{errors.name}</span>}
        </label>
        <label className="field">
          <span className="field-label">Scheme</span>
          <select
            data-testid="key-scheme-select"
            value={values.scheme}
            aria-invalid={errors.scheme !== undefined}
            onChange={(event) => update({ scheme: event.target.value })}
          >
            <option value="">{schemes.length === 0 ? 'Loading schemes…' : 'Choose a scheme…'}</option>
            {schemes.map((item) => (
              <option key={item.id} value={item.id}>
                {item.label} ({item.id})
              </option>
            ))}
          </select>
          {errors.scheme && <span className="field-error">{errors.scheme}</span>}
        </label>
      </div>

      {scheme && (
        <MaterialInputs
          fields={fields}
          values={values.material}
          errors={errors}
          onChange={(field, value) => update({ material: { ...values.material, [field]: value } })}
        />
      )}

      <div className="form-grid">
        <label className="field">
          <span className="field-label">
            Key id <span className="muted">(optional)</span>
          </span>
          <input
            data-testid="key-keyid-input"
            className="mono"
            value={values.keyId}
            maxLength={256}
            placeholder="Provider-side id, e.g. whk_20251021_01"
            onChange={(event) => update({ keyId: event.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">Status</span>
          <select
            data-testid="key-status-select"
            value={values.status}
            onChange={(event) => update({ status: event.target.value === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE' })}
          >
            <option value="ACTIVE">ACTIVE (retires the group's current active key)</option>
            <option value="INACTIVE">INACTIVE (activate it later)</option>
          </select>
        </label>
        <label className="field">
          <span className="field-label">
            Group <span className="muted">(optional)</span>
          </span>
          <input
            data-testid="key-group-input"
            value={values.group}
            maxLength={120}
            placeholder={values.scheme || 'defaults to the scheme id'}
            onChange={(event) => update({ group: event.target.value })}
          />
          <span className="field-hint">Keys of one group rotate together.</span>
        </label>
        <div className="field">
          <span className="field-label">Endpoints</span>
          <EndpointPicker value={values.endpointIds} onChange={(endpointIds) => update({ endpointIds })} />
          <span className="field-hint">None ticked: every endpoint.</span>
        </div>
        <label className="field">
          <span className="field-label">
            Path prefixes <span className="muted">(one per line)</span>
          </span>
          <textarea
            data-testid="key-paths-input"
            className="mono"
            rows={2}
            value={values.pathPrefixes}
            placeholder="/orders"
            spellCheck={false}
            aria-invalid={errors.pathPrefixes !== undefined}
            onChange={(event) => update({ pathPrefixes: event.target.value })}
          />
          {errors.pathPrefixes ? <span className="field-error">{errors.pathPrefixes}</span> : <span className="field-hint">Empty: every path.</span>}
        </label>
        <label className="field">
          <span className="field-label">
            Options <span className="muted">(JSON, optional)</span>
          </span>
          <textarea
            data-testid="key-options-input"
            className="mono"
            rows={2}
            value={values.options}
            placeholder='{"toleranceSeconds": 600}'
            spellCheck={false}
            aria-invalid={errors.options !== undefined}
            onChange={(event) => update({ options: event.target.value })}
          />
          {errors.options && (
            <span className="field-error" data-testid="key-options-error">
              {errors.options}
            </span>
          )}
        </label>
        <label className="field field-wide">
          <span className="field-label">
            Notes <span className="muted">(optional)</span>
          </span>
          <textarea data-testid="key-notes-input" rows={2} value={values.notes} maxLength={4096} onChange={(event) => update({ notes: event.target.value })} />
        </label>
      </div>

      {engineError && (
        <div className="error-banner" role="alert" data-testid="add-key-error">
          <span className="error-text">{engineError}</span>
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="add-key-submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add key'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}

import { type FormEvent, useState } from 'react'
import type { Endpoint } from '../../../../shared/model/endpoint'
import { FormButtons } from './form-buttons'
import { draftFromResponse, type ResponseDraft, responseFromDraft } from './response-form'
import { useEndpointSave } from './use-endpoint-save'

/**
 * What the endpoint answers every delivery: status, headers, body; a delay (a slow receiver) and
 * a failure rate (e.g. 30% `500`) to watch a provider retry. Applies to the next delivery.
 */
export function EndpointResponseForm({ endpoint, onClose }: { endpoint: Endpoint; onClose: () => void }) {
  const [draft, setDraft] = useState<ResponseDraft>(() => draftFromResponse(endpoint.response))
  const { attempted, busy, error, save } = useEndpointSave(endpoint.id, onClose)
  const result = responseFromDraft(draft)
  const errors = attempted && !result.ok ? result.errors : {}
  const field = (key: keyof ResponseDraft) => ({
    value: draft[key],
    disabled: busy,
    'aria-invalid': errors[key] ? true : undefined,
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [key]: event.target.value })
  })
  const hint = (key: keyof ResponseDraft) =>
    errors[key] && (
      <span className="field-error" data-testid={`response-error-${key}`}>
        {errors[key]}
      </span>
    )

  const submit = (event: FormEvent) => {
    event.preventDefault()
    void save(result.ok ? { response: result.response } : null)
  }

  return (
    <form className="endpoint-response-form" data-testid="endpoint-response-form" onSubmit={submit}>
      <div className="form-row">
        <label>
          <span>Status</span>
          <input inputMode="numeric" className="narrow" data-testid="response-status" {...field('status')} />
          {hint('status')}
        </label>
        <label>
          <span>Delay (ms)</span>
          <input inputMode="numeric" className="narrow" data-testid="response-delay" {...field('delayMs')} />
          {hint('delayMs')}
        </label>
      </div>
      <label>
        <span>Headers, one “Name: value” per line</span>
        <textarea rows={2} spellCheck={false} data-testid="response-headers" placeholder="Content-Type: application/json" {...field('headers')} />
        {hint('headers')}
      </label>
      <label>
        <span>Body (empty: {'{"id": "<delivery id>"}'})</span>
        <textarea rows={3} spellCheck={false} data-testid="response-body" {...field('body')} />
        {hint('body')}
      </label>
      <fieldset className="failure-fields">
        <legend>Simulated failures</legend>
        <div className="form-row">
          <label>
            <span>Fail %</span>
            <input inputMode="decimal" className="narrow" data-testid="response-failure-percent" {...field('failurePercent')} />
            {hint('failurePercent')}
          </label>
          <label>
            <span>with status</span>
            <input inputMode="numeric" className="narrow" data-testid="response-failure-status" {...field('failureStatus')} />
            {hint('failureStatus')}
          </label>
        </div>
        <label>
          <span>Failure body (empty: {'{"id", "error"}'})</span>
          <textarea rows={2} spellCheck={false} data-testid="response-failure-body" {...field('failureBody')} />
          {hint('failureBody')}
        </label>
      </fieldset>
      {error && (
        <div className="field-error" role="alert" data-testid="endpoint-response-error">
          {error}
        </div>
      )}
      <FormButtons busy={busy} testPrefix="endpoint-response" onCancel={onClose} />
    </form>
  )
}

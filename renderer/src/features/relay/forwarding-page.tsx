import { useEffect, useState } from 'react'
import { DEFAULT_FALLBACK, type ForwardingConfig } from '../../../../shared/model/relay'
import { useEndpoints } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { draftFromFallback, type FallbackDraft, type FallbackErrors, fallbackInput } from './fallback-draft'
import { useRelay, useRelayStore } from './relay-hooks'
import { draftFromRule, newRuleDraft, type RuleDraft, type RuleErrors, type RuleInput, ruleInput } from './rule-draft'
import { RuleEditor } from './rule-editor'
import './relay.css'

function draftsOf(config: ForwardingConfig | null): RuleDraft[] {
  return config ? config.rules.map(draftFromRule) : []
}

function fallbackOf(config: ForwardingConfig | null): FallbackDraft {
  return draftFromFallback(config?.fallback ?? DEFAULT_FALLBACK)
}

/** What a passthrough sender gets when the target cannot be reached: status, headers, body. */
function FallbackEditor({ draft, errors, onChange }: { draft: FallbackDraft; errors: FallbackErrors; onChange(draft: FallbackDraft): void }) {
  return (
    <details className="fallback-editor" data-testid="fallback-editor">
      <summary className="small">When the target cannot be reached (passthrough): answer {draft.status || '…'}</summary>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">Status</span>
          <input
            type="text"
            className="mono"
            inputMode="numeric"
            value={draft.status}
            onChange={(event) => onChange({ ...draft, status: event.target.value })}
            data-testid="fallback-status"
          />
          {errors.status && <span className="field-error">{errors.status}</span>}
        </label>
        <label className="field">
          <span className="field-label">Headers</span>
          <textarea
            className="mono"
            rows={2}
            value={draft.headers}
            onChange={(event) => onChange({ ...draft, headers: event.target.value })}
            data-testid="fallback-headers"
          />
          {errors.headers ? <span className="field-error">{errors.headers}</span> : <span className="field-hint">One “Name: value” per line</span>}
        </label>
        <label className="small field-wide">
          <input
            type="checkbox"
            checked={draft.ownBody}
            onChange={(event) => onChange({ ...draft, ownBody: event.target.checked })}
            data-testid="fallback-own-body"
          />{' '}
          My own body (otherwise Hookscope's JSON naming the cause and the delivery)
        </label>
        {draft.ownBody && (
          <label className="field field-wide">
            <span className="field-label">Body</span>
            <textarea
              className="mono"
              rows={3}
              value={draft.body}
              onChange={(event) => onChange({ ...draft, body: event.target.value })}
              data-testid="fallback-body"
            />
          </label>
        )}
      </div>
    </details>
  )
}

/** The rules of one endpoint, edited as a whole and saved at once (first match wins). */
function EndpointRules({ endpointId }: { endpointId: string }) {
  const forwarding = useRelayStore('forwarding')
  const entry = useRelay('forwarding', (s) => s.byEndpoint[endpointId])
  const config = entry?.config ?? null
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => draftsOf(config))
  const [errors, setErrors] = useState<RuleErrors[]>([])
  const [fallback, setFallback] = useState<FallbackDraft>(() => fallbackOf(config))
  const [fallbackErrors, setFallbackErrors] = useState<FallbackErrors>({})
  const [dirty, setDirty] = useState(false)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  useEffect(() => {
    void forwarding.getState().load(endpointId)
  }, [forwarding, endpointId])
  // The stored rules replace the drafts while nothing is being edited (a load, a save, a change from elsewhere).
  useEffect(() => {
    if (dirty) return
    setDrafts(draftsOf(config))
    setFallback(fallbackOf(config))
  }, [config, dirty])

  const change = (next: RuleDraft[]) => {
    setDrafts(next)
    setDirty(true)
    setSaved(false)
  }

  const save = async () => {
    const built = drafts.map(ruleInput)
    const builtFallback = fallbackInput(fallback)
    setErrors(built.map((result) => (result.ok ? {} : result.errors)))
    setFallbackErrors(builtFallback.ok ? {} : builtFallback.errors)
    if (built.some((result) => !result.ok) || !builtFallback.ok) return
    setSaving(true)
    setSaveError(null)
    const outcome = await forwarding.getState().save(
      endpointId,
      built.map((result) => (result as { ok: true; input: RuleInput }).input),
      builtFallback.fallback
    )
    setSaving(false)
    if (!outcome.ok) {
      setSaveError(outcome.error)
      return
    }
    setDirty(false)
    setSaved(true)
    setDrafts(draftsOf(outcome.value))
    setFallback(fallbackOf(outcome.value))
  }

  if (!entry || (entry.status === 'loading' && !config)) return <p className="muted">Loading…</p>
  if (entry.status === 'error' && !config) return <ErrorBanner message={entry.error ?? 'Could not load the rules.'} testId="forwarding-load-error" />

  return (
    <div className="endpoint-rules" data-testid="endpoint-rules" data-endpoint={endpointId}>
      {drafts.length === 0 ? (
        <p className="muted" data-testid="no-rules">
          No rules: deliveries to this endpoint are captured and answered by Hookscope, not forwarded.
        </p>
      ) : (
        <ol className="rule-list">
          {drafts.map((draft, index) => (
            <RuleEditor
              key={draft.id ?? `new-${index}`}
              draft={draft}
              index={index}
              count={drafts.length}
              errors={errors[index] ?? {}}
              onChange={(next) => change(drafts.with(index, next))}
              onMove={(step) => {
                const next = [...drafts]
                const [moved] = next.splice(index, 1)
                next.splice(index + step, 0, moved!)
                change(next)
              }}
              onRemove={() => change(drafts.filter((_, other) => other !== index))}
            />
          ))}
        </ol>
      )}
      <FallbackEditor
        draft={fallback}
        errors={fallbackErrors}
        onChange={(next) => {
          setFallback(next)
          setDirty(true)
          setSaved(false)
        }}
      />
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => change([...drafts, newRuleDraft()])} data-testid="rule-add">
          Add a rule
        </button>
        <button type="button" className="btn btn-primary" disabled={!dirty || saving} onClick={() => void save()} data-testid="rules-save">
          {saving ? 'Saving…' : 'Save rules'}
        </button>
        {dirty && (
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDirty(false)
              setErrors([])
              setFallbackErrors({})
              setDrafts(draftsOf(config))
              setFallback(fallbackOf(config))
            }}
            data-testid="rules-discard"
          >
            Discard changes
          </button>
        )}
        {saved && !dirty && (
          <span className="muted small" data-testid="rules-saved">
            Saved.
          </span>
        )}
      </div>
      {saveError && <ErrorBanner message={saveError} onDismiss={() => setSaveError(null)} testId="rules-save-error" />}
      {config && config.warnings.length > 0 && (
        <ul className="notice small" data-testid="forwarding-warnings">
          {config.warnings.map((warning, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the engine's warnings are immutable and may repeat; position is their identity
            <li key={index}>{warning}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Forwarding rules per endpoint: which deliveries go where, how (passthrough / ack-first), and retries. */
export function ForwardingPage() {
  const endpoints = useEndpoints((s) => s.endpoints)
  const editing = useRelay('forwarding', (s) => s.editing)
  const edit = useRelay('forwarding', (s) => s.edit)
  const endpointId = editing && endpoints.some((endpoint) => endpoint.id === editing) ? editing : (endpoints[0]?.id ?? null)

  return (
    <main className="page" data-testid="forwarding-page">
      <div className="page-content">
        <header className="page-header">
          <h1>Forwarding</h1>
          <label className="small">
            Endpoint{' '}
            <select value={endpointId ?? ''} onChange={(event) => edit(event.target.value || null)} data-testid="forwarding-endpoint">
              {endpoints.map((endpoint) => (
                <option key={endpoint.id} value={endpoint.id}>
                  {endpoint.name}
                  {endpoint.state.url ? ` (${endpoint.state.url})` : ''}
                </option>
              ))}
            </select>
          </label>
        </header>
        <p className="muted small">
          Each delivery goes to the first rule that matches it. passthrough: the sender waits and gets your app's answer (or the endpoint's fallback when it
          cannot be reached). ack-first: the sender gets Hookscope's answer once the delivery is stored, and forwarding follows with retries. Every delivery is
          captured either way; each try shows in the delivery's Relay tab.
        </p>
        {endpointId ? <EndpointRules key={endpointId} endpointId={endpointId} /> : <p className="muted">Create an endpoint first.</p>}
      </div>
    </main>
  )
}

/** The endpoint list's way in: opens the Forwarding page on this endpoint. */
export function ForwardingButton({ endpointId, onOpen }: { endpointId: string; onOpen(): void }) {
  const edit = useRelay('forwarding', (s) => s.edit)
  return (
    <button
      type="button"
      className="btn btn-small"
      data-testid="endpoint-forwarding"
      onClick={() => {
        edit(endpointId)
        onOpen()
      }}
    >
      Forwarding…
    </button>
  )
}

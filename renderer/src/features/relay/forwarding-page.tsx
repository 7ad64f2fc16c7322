import { useEffect, useState } from 'react'
import type { ForwardingConfig } from '../../../../shared/model/relay'
import { useEndpoints } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { draftFromRule, newRuleDraft, ruleInput, type RuleDraft, type RuleErrors, type RuleInput } from './rule-draft'
import { RuleEditor } from './rule-editor'
import { useRelay, useRelayStore } from './relay-hooks'
import './relay.css'

function draftsOf(config: ForwardingConfig | null): RuleDraft[] {
  return config ? config.rules.map(draftFromRule) : []
}

/** The rules of one endpoint, edited as a whole and saved at once (first match wins). */
function EndpointRules({ endpointId }: { endpointId: string }) {
  const forwarding = useRelayStore('forwarding')
  const entry = useRelay('forwarding', (s) => s.byEndpoint[endpointId])
  const config = entry?.config ?? null
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => draftsOf(config))
  const [errors, setErrors] = useState<RuleErrors[]>([])
  const [dirty, setDirty] = useState(false)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  useEffect(() => {
    void forwarding.getState().load(endpointId)
  }, [forwarding, endpointId])
  // The stored rules replace the drafts while nothing is being edited (a load, a save, a change from elsewhere).
  useEffect(() => {
    if (!dirty) setDrafts(draftsOf(config))
  }, [config, dirty])

  const change = (next: RuleDraft[]) => {
    setDrafts(next)
    setDirty(true)
    setSaved(false)
  }

  const save = async () => {
    const built = drafts.map(ruleInput)
    setErrors(built.map((result) => (result.ok ? {} : result.errors)))
    if (built.some((result) => !result.ok)) return
    setSaving(true)
    setSaveError(null)
    const outcome = await forwarding.getState().save(endpointId, built.map((result) => (result as { ok: true; input: RuleInput }).input))
    setSaving(false)
    if (!outcome.ok) {
      setSaveError(outcome.error)
      return
    }
    setDirty(false)
    setSaved(true)
    setDrafts(draftsOf(outcome.value))
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
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => change([...drafts, newRuleDraft()])} data-testid="rule-add">
          Add a rule
        </button>
        <button type="button" className="btn btn-primary" disabled={!dirty || saving} onClick={() => void save()} data-testid="rules-save">
          {saving ? 'Saving…' : 'Save rules'}
        </button>
        {dirty && (
          <button type="button" className="btn" onClick={() => {
              setDirty(false)
              setErrors([])
              setDrafts(draftsOf(config))
            }} data-testid="rules-discard">
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

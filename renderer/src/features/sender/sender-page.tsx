import { useEffect, useMemo, useState } from 'react'
import { useKeys } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { AttemptDetail, AttemptView } from '../relay/attempt-detail'
import { AttemptRow } from '../relay/attempt-row'
import { useRelay, useRelayStore } from '../relay/relay-hooks'
import { targetWarning } from '../relay/target-url'
import { useNow } from '../relay/use-now'
import { CodeEditor } from '../replay/code-editor'
import { KeyPicker } from '../replay/key-picker'
import '../relay/relay.css'

/**
 * Signed test events without a provider: a keyring key (its scheme signs), a URL, a template (or
 * your own body), repeated N times with an interval. Each send is shown like an attempt.
 */
export function SenderPage() {
  const sender = useRelayStore('sender')
  const form = useRelay('sender', (s) => s.form)
  const templates = useRelay('sender', (s) => s.templates)
  const templatesStatus = useRelay('sender', (s) => s.templatesStatus)
  const sending = useRelay('sender', (s) => s.sending)
  const error = useRelay('sender', (s) => s.error)
  const results = useRelay('sender', (s) => s.results)
  const finished = useRelay('sender', (s) => s.finished)
  const batch = useRelay('sender', (s) => s.batch)
  const keys = useKeys((s) => s.keys)
  const [expanded, setExpanded] = useState<string | null>(null)
  const now = useNow(1000)
  const { update, send } = sender.getState()

  useEffect(() => {
    if (sender.getState().templatesStatus === 'idle') void sender.getState().loadTemplates()
  }, [sender])

  const key = keys.find((candidate) => candidate.id === form.keyId)
  const scheme = key?.scheme
  const schemeTemplates = useMemo(() => templates.filter((template) => template.scheme === scheme), [templates, scheme])
  const warning = targetWarning(form.url)

  return (
    <main className="page" data-testid="sender-page">
      <div className="page-content">
        <header className="page-header">
          <h1>Sender</h1>
        </header>
        <p className="muted small">
          Compose a webhook signed with one of your keys and send it to any URL (your app, or a Hookscope endpoint to check that it verifies). Each send gets a
          fresh id and timestamp.
        </p>
        <form
          className="sender-form"
          onSubmit={(event) => {
            event.preventDefault()
            void send(scheme)
          }}
        >
          <div className="form-grid">
            <label className="field field-wide">
              <span className="field-label">URL</span>
              <input
                type="text"
                className="mono"
                value={form.url}
                onChange={(event) => update({ url: event.target.value })}
                spellCheck={false}
                data-testid="sender-url"
              />
              {warning && <span className="field-warning">{warning}</span>}
            </label>
            <div className="field">
              <span className="field-label">Key (its scheme signs)</span>
              <KeyPicker value={form.keyId} onChange={(keyId) => update({ keyId, templateId: null })} testId="sender-key" />
            </div>
            <label className="field">
              <span className="field-label">Event</span>
              <select
                value={form.customBody ? '__custom' : (form.templateId ?? '')}
                onChange={(event) =>
                  update(event.target.value === '__custom' ? { customBody: true } : { customBody: false, templateId: event.target.value || null })
                }
                disabled={!scheme}
                data-testid="sender-template"
              >
                <option value="">{scheme ? 'The scheme’s test event' : 'Choose a key first'}</option>
                {schemeTemplates.map((template) => (
                  <option key={template.id} value={template.id}>
                    {template.label}
                    {template.test ? ' (test)' : ''}
                  </option>
                ))}
                <option value="__custom">My own body…</option>
              </select>
              {templatesStatus === 'error' && <span className="field-error">The templates could not be loaded.</span>}
            </label>
            {form.customBody && (
              <div className="field field-wide">
                <span className="field-label">Body</span>
                <CodeEditor value={form.bodyText} onChange={(bodyText) => update({ bodyText })} language="json" label="Body" testId="sender-body-editor" />
              </div>
            )}
            <label className="field field-wide">
              <span className="field-label">Extra headers</span>
              <textarea
                className="mono"
                rows={2}
                value={form.headersText}
                onChange={(event) => update({ headersText: event.target.value })}
                placeholder="X-Trace: 1"
                data-testid="sender-headers"
              />
              <span className="field-hint">One “Name: value” per line, added to the event's own headers before signing.</span>
            </label>
            <label className="field">
              <span className="field-label">Repeat</span>
              <input
                type="text"
                className="mono"
                inputMode="numeric"
                value={form.count}
                onChange={(event) => update({ count: event.target.value })}
                data-testid="sender-count"
              />
            </label>
            <label className="field">
              <span className="field-label">Interval (ms)</span>
              <input
                type="text"
                className="mono"
                inputMode="numeric"
                value={form.intervalMs}
                onChange={(event) => update({ intervalMs: event.target.value })}
                data-testid="sender-interval"
              />
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={sending} data-testid="sender-send">
              {sending ? 'Sending…' : 'Send'}
            </button>
            {batch && (
              <span className="small" data-testid="sender-progress">
                {batch.done} of {batch.total} sent · {batch.succeeded} succeeded · {batch.failed} failed
              </span>
            )}
          </div>
        </form>
        {error && <ErrorBanner message={error} testId="sender-error" />}
        <ol className="attempt-timeline" data-testid="sender-results">
          {results.map((attempt) => (
            <AttemptRow
              key={attempt.id}
              attempt={attempt}
              now={now}
              expanded={expanded === attempt.id}
              onToggle={() => setExpanded(expanded === attempt.id ? null : attempt.id)}
            >
              {expanded === attempt.id && (finished[attempt.id] ? <AttemptView attempt={finished[attempt.id]!} /> : <AttemptDetail attemptId={attempt.id} />)}
            </AttemptRow>
          ))}
        </ol>
      </div>
    </main>
  )
}

import { useMemo } from 'react'
import { AttemptView } from '../relay/attempt-detail'
import { useRelay, useRelayStore } from '../relay/relay-hooks'
import { targetWarning } from '../relay/target-url'
import { CodeEditor } from './code-editor'
import { KeyPicker } from './key-picker'
import { Modal } from './modal'
import type { ReplayMode } from './replay-store'

const MODES: ReadonlyArray<{ id: ReplayMode; label: string; hint: string }> = [
  { id: 'as-is', label: 'As-is', hint: 'The same bytes and headers (hop-by-hop headers aside): a signature with a timestamp may now be too old.' },
  { id: 'resigned', label: 'Re-signed', hint: 'A fresh id and timestamp, and the signature recomputed with a keyring key.' },
  { id: 'edited', label: 'Edited', hint: 'Headers and body as you change them below, optionally re-signed afterwards.' }
]

function looksLikeJson(text: string): boolean {
  const start = text.trimStart()[0]
  return start === '{' || start === '['
}

/** Replay one delivery: where to, how (as-is, re-signed, edited), then its response and its own verdict. */
export function ReplayDialog() {
  const replay = useRelayStore('replay')
  const deliveryId = useRelay('replay', (s) => s.deliveryId)
  const delivery = useRelay('replay', (s) => s.delivery)
  const loadError = useRelay('replay', (s) => s.loadError)
  const bodyEditable = useRelay('replay', (s) => s.bodyEditable)
  const form = useRelay('replay', (s) => s.form)
  const sending = useRelay('replay', (s) => s.sending)
  const result = useRelay('replay', (s) => s.result)
  const error = useRelay('replay', (s) => s.error)
  const rules = useRelay('forwarding', (s) => (delivery ? s.byEndpoint[delivery.endpointId]?.config?.rules : undefined))
  const { update, send, close } = replay.getState()
  const enabledRules = useMemo(() => (rules ?? []).filter((rule) => rule.enabled), [rules])
  const warning = form.targetKind === 'url' ? targetWarning(form.url) : null
  const resign = form.mode === 'resigned' || (form.mode === 'edited' && form.resignEdited)

  if (deliveryId === null) return null
  return (
    <Modal title="Replay delivery" onClose={close} testId="replay-dialog">
      {loadError && <p className="field-error">{loadError}</p>}
      {!delivery && !loadError && <p className="muted">Loading…</p>}
      {delivery && (
        <form
          className="replay-form"
          onSubmit={(event) => {
            event.preventDefault()
            void send()
          }}
        >
          <p className="small mono">
            {delivery.method} {delivery.url} <span className="muted">({delivery.id})</span>
          </p>
          <fieldset>
            <legend>Target</legend>
            <label>
              <input
                type="radio"
                name="replay-target"
                checked={form.targetKind === 'rule'}
                disabled={enabledRules.length === 0}
                onChange={() => update({ targetKind: 'rule' })}
                data-testid="replay-target-rule"
              />{' '}
              Its forwarding rule’s target
              {enabledRules.length === 0 ? (
                <span className="muted"> (its endpoint has no rules)</span>
              ) : (
                <span className="muted mono"> ({enabledRules.map((rule) => rule.target).join(', ')}: the first that matches)</span>
              )}
            </label>
            <label className="replay-url">
              <input
                type="radio"
                name="replay-target"
                checked={form.targetKind === 'url'}
                onChange={() => update({ targetKind: 'url' })}
                data-testid="replay-target-url"
              />{' '}
              URL{' '}
              <input
                type="text"
                className="mono"
                value={form.url}
                onFocus={() => update({ targetKind: 'url' })}
                onChange={(event) => update({ url: event.target.value, targetKind: 'url' })}
                spellCheck={false}
                data-testid="replay-url"
              />
            </label>
            {warning && (
              <p className="notice small" data-testid="replay-target-warning">
                {warning}
              </p>
            )}
          </fieldset>
          <fieldset>
            <legend>How</legend>
            <div className="mode-choices">
              {MODES.map((mode) => (
                <label key={mode.id} title={mode.hint}>
                  <input
                    type="radio"
                    name="replay-mode"
                    checked={form.mode === mode.id}
                    disabled={mode.id === 'edited' && !bodyEditable}
                    onChange={() => update({ mode: mode.id })}
                    data-testid={`replay-mode-${mode.id}`}
                  />{' '}
                  {mode.label}
                </label>
              ))}
            </div>
            <p className="muted small">{MODES.find((mode) => mode.id === form.mode)?.hint}</p>
            {!bodyEditable && (
              <p className="muted small">
                Its body is not UTF-8 text (or was cut at the endpoint’s limit): it can be replayed as-is or re-signed, not edited here.
              </p>
            )}
            {form.mode === 'edited' && (
              <div className="replay-editors">
                <span className="small muted">Headers (one “Name: value” per line, in order)</span>
                <CodeEditor
                  value={form.headersText}
                  onChange={(headersText) => update({ headersText })}
                  language="text"
                  label="Headers"
                  testId="replay-headers-editor"
                  minLines={4}
                />
                <span className="small muted">Body</span>
                <CodeEditor
                  value={form.bodyText}
                  onChange={(bodyText) => update({ bodyText })}
                  language={looksLikeJson(form.bodyText) ? 'json' : 'text'}
                  label="Body"
                  testId="replay-body-editor"
                />
                <label>
                  <input
                    type="checkbox"
                    checked={form.resignEdited}
                    onChange={(event) => update({ resignEdited: event.target.checked })}
                    data-testid="replay-resign-edited"
                  />{' '}
                  Re-sign after editing
                </label>
              </div>
            )}
            {resign && <KeyPicker value={form.keyId} onChange={(keyId) => update({ keyId })} testId="replay-key" />}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={sending} data-testid="replay-send">
              {sending ? 'Sending…' : 'Send'}
            </button>
            {error && (
              <span className="field-error" data-testid="replay-error">
                {error}
              </span>
            )}
          </div>
        </form>
      )}
      {result && (
        <section className="replay-result" data-testid="replay-result" data-state={result.state}>
          <div className="section-title">
            <span>Result</span>
            <span className={`attempt-state state-${result.state}`}>{result.state}</span>
            <span className="mono">{result.target}</span>
          </div>
          {result.error && (
            <p className="attempt-error" data-testid="replay-result-error" data-code={result.error.code}>
              {result.error.message}
            </p>
          )}
          <AttemptView attempt={result} original={delivery ?? undefined} />
        </section>
      )}
    </Modal>
  )
}

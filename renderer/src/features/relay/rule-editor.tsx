import type { ReactNode } from 'react'
import type { RetryOn } from '../../../../shared/model/relay'
import { useCertificates } from '../../app/services-context'
import { describeMatch, type RuleDraft, type RuleErrors, type RuleField, withRetryPreset } from './rule-draft'
import { targetWarning } from './target-url'

interface RuleEditorProps {
  draft: RuleDraft
  index: number
  count: number
  errors: RuleErrors
  onChange(draft: RuleDraft): void
  onMove(step: -1 | 1): void
  onRemove(): void
}

const RETRY_ON: ReadonlyArray<{ id: RetryOn; label: string }> = [
  { id: 'network', label: 'network errors' },
  { id: 'timeout', label: 'timeouts' },
  { id: '5xx', label: '5xx' },
  { id: '429', label: '429 (Retry-After honoured)' },
  { id: '4xx', label: 'other 4xx' }
]

function Field({ label, error, hint, wide, children }: { label: string; error?: string; hint?: string; wide?: boolean; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes in as children
    <label className={wide ? 'field field-wide' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !error && <span className="field-hint">{hint}</span>}
      {error && <span className="field-error">{error}</span>}
    </label>
  )
}

/** One forwarding rule: match → target, with its mode, timeout, retries, rewrite and header edits. */
export function RuleEditor({ draft, index, count, errors, onChange, onMove, onRemove }: RuleEditorProps) {
  const text = (field: RuleField) => ({
    value: draft[field] as string,
    onChange: (event: { target: { value: string } }) => onChange({ ...draft, [field]: event.target.value }),
    'aria-invalid': errors[field] ? true : undefined,
    'data-testid': `rule-${field}`,
    spellCheck: false
  })
  const warning = targetWarning(draft.target)
  const certificates = useCertificates((s) => s.certificates)
  const clientCertificates = certificates.filter((certificate) => certificate.kind === 'client')
  // A rule may name a certificate the store no longer lists: keep it selectable rather than drop it silently.
  const missingCertificate = draft.clientCertificateId !== null && !clientCertificates.some((certificate) => certificate.id === draft.clientCertificateId)
  const custom = draft.retryPreset === 'custom'

  return (
    <li className="rule-editor" data-testid="rule-editor" data-index={index}>
      <header className="rule-head">
        <span className="rule-number">{index + 1}</span>
        <input
          type="text"
          placeholder="Rule name (optional)"
          value={draft.name}
          onChange={(event) => onChange({ ...draft, name: event.target.value })}
          data-testid="rule-name"
        />
        <span className="muted small">{describeMatch(draft)}</span>
        <span className="spacer" />
        <label className="small">
          <input
            type="checkbox"
            checked={draft.enabled}
            onChange={(event) => onChange({ ...draft, enabled: event.target.checked })}
            data-testid="rule-enabled"
          />{' '}
          enabled
        </label>
        <button type="button" className="btn btn-small" disabled={index === 0} onClick={() => onMove(-1)} aria-label="Move up">
          ↑
        </button>
        <button type="button" className="btn btn-small" disabled={index === count - 1} onClick={() => onMove(1)} aria-label="Move down">
          ↓
        </button>
        <button type="button" className="btn btn-small btn-danger" onClick={onRemove} data-testid="rule-remove">
          Remove
        </button>
      </header>
      <div className="form-grid">
        <Field
          label="Target URL"
          error={errors.target}
          hint="An origin (the request's path and query are appended) or a full URL (every request goes there)."
          wide
        >
          <input type="text" className="mono" {...text('target')} />
        </Field>
        {warning && (
          <p className="notice small field-wide" data-testid="rule-target-warning">
            {warning}
          </p>
        )}
        <Field label="Path starts with" error={errors.pathPrefix} hint="Empty: any path">
          <input type="text" className="mono" placeholder="/stripe" {...text('pathPrefix')} />
        </Field>
        <Field label="Method" error={errors.method} hint="Empty: any method">
          <input type="text" className="mono" placeholder="POST" {...text('method')} />
        </Field>
        <Field label="Header" error={errors.headerName} hint="Its value must equal the one on the right">
          <input type="text" className="mono" placeholder="X-GitHub-Event" {...text('headerName')} />
        </Field>
        <Field label="Header value">
          <input type="text" className="mono" {...text('headerValue')} />
        </Field>
        <Field label="JSON field" error={errors.jsonPath} hint="A dotted path in a JSON body, e.g. type">
          <input type="text" className="mono" placeholder="type" {...text('jsonPath')} />
        </Field>
        <Field label="JSON value">
          <input type="text" className="mono" placeholder="invoice.paid" {...text('jsonValue')} />
        </Field>
        <Field label="Mode">
          <select value={draft.mode} onChange={(event) => onChange({ ...draft, mode: event.target.value as RuleDraft['mode'] })} data-testid="rule-mode">
            <option value="passthrough">passthrough: the sender gets the target's answer</option>
            <option value="ack-first">ack-first: answer at once, forward after, with retries</option>
          </select>
        </Field>
        <Field label="Timeout (seconds)" error={errors.timeoutSeconds} hint="0 waits forever (breakpoint debugging)">
          <input type="text" className="mono" inputMode="decimal" {...text('timeoutSeconds')} />
        </Field>
        <Field
          label="Retries"
          hint={draft.mode === 'passthrough' ? 'Passthrough never retries: the sender is waiting.' : 'provider: 1, 2, 4 … 32 min · fast: 1, 2, 4 … 32 s'}
        >
          <select
            value={draft.retryPreset}
            onChange={(event) => onChange(withRetryPreset(draft, event.target.value as RuleDraft['retryPreset']))}
            data-testid="rule-retry"
          >
            <option value="provider">provider (6 retries over ~1 h)</option>
            <option value="fast">fast (6 retries over ~1 min)</option>
            <option value="none">none</option>
            <option value="custom">custom…</option>
          </select>
        </Field>
        {custom && (
          <div className="field field-wide retry-custom" data-testid="rule-retry-custom">
            <div className="inline-fields">
              <label>
                first after <input type="text" className="mono short" {...text('retryBaseSeconds')} /> s
              </label>
              <label>
                × <input type="text" className="mono short" {...text('retryFactor')} />
              </label>
              <label>
                at most <input type="text" className="mono short" {...text('retryMaxDelaySeconds')} /> s apart
              </label>
              <label>
                <input type="text" className="mono short" {...text('retryMaxRetries')} /> retries
              </label>
            </div>
            <div className="inline-fields">
              <span className="small">retry on</span>
              {RETRY_ON.map((on) => (
                <label key={on.id} className="small">
                  <input
                    type="checkbox"
                    checked={draft.retryOn.includes(on.id)}
                    onChange={(event) =>
                      onChange({ ...draft, retryOn: event.target.checked ? [...draft.retryOn, on.id] : draft.retryOn.filter((item) => item !== on.id) })
                    }
                  />{' '}
                  {on.label}
                </label>
              ))}
            </div>
            {(['retryBaseSeconds', 'retryFactor', 'retryMaxDelaySeconds', 'retryMaxRetries'] as const).map((field) =>
              errors[field] ? (
                <span key={field} className="field-error">
                  {errors[field]}
                </span>
              ) : null
            )}
          </div>
        )}
        <details className="field-wide">
          <summary className="small">Path rewrite, headers, Host</summary>
          <div className="form-grid">
            <Field label="Replace path prefix" error={errors.rewritePrefix}>
              <input type="text" className="mono" placeholder="/stripe" {...text('rewritePrefix')} />
            </Field>
            <Field label="with" error={errors.rewriteReplacement} hint="Empty strips the prefix">
              <input type="text" className="mono" placeholder="/webhooks" {...text('rewriteReplacement')} />
            </Field>
            <Field label="Remove headers" error={errors.removeHeaders} hint="Names, separated by commas">
              <input type="text" className="mono" {...text('removeHeaders')} />
            </Field>
            <Field label="Add headers" error={errors.addHeaders} hint="One “Name: value” per line">
              <textarea className="mono" rows={2} {...text('addHeaders')} />
            </Field>
            <Field label="Client certificate (mTLS)" hint="For https targets that ask for one; from the Certificates page" wide>
              <select
                value={draft.clientCertificateId ?? ''}
                onChange={(event) => onChange({ ...draft, clientCertificateId: event.target.value || null })}
                data-testid="rule-client-certificate"
              >
                <option value="">None</option>
                {clientCertificates.map((certificate) => (
                  <option key={certificate.id} value={certificate.id}>
                    {certificate.name} ({certificate.subject})
                  </option>
                ))}
                {missingCertificate && <option value={draft.clientCertificateId!}>{draft.clientCertificateId} (not in the store)</option>}
              </select>
            </Field>
            <label className="small field-wide">
              <input type="checkbox" checked={draft.preserveHost} onChange={(event) => onChange({ ...draft, preserveHost: event.target.checked })} /> Keep the
              sender's Host header (instead of the target's host)
            </label>
          </div>
        </details>
      </div>
    </li>
  )
}

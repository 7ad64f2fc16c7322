import { useEffect, useMemo } from 'react'
import { useKeys } from '../../app/services-context'
import { useRelay, useRelayStore } from '../relay/relay-hooks'
import { signingChoices } from './signing-store'

interface KeyPickerProps {
  value: string | null
  onChange(keyId: string | null): void
  /** Only keys of this scheme (the sender picks a scheme first). */
  scheme?: string
  testId: string
}

/**
 * The keyring keys that can sign, and below them those that cannot with the engine's reason
 * (only the public half of a provider key, not ACTIVE, a scheme Hookscope does not sign...).
 */
export function KeyPicker({ value, onChange, scheme, testId }: KeyPickerProps) {
  const keys = useKeys((s) => s.keys)
  const overview = useRelay('signing', (s) => s.overview)
  const status = useRelay('signing', (s) => s.status)
  const error = useRelay('signing', (s) => s.error)
  const signing = useRelayStore('signing')
  useEffect(() => {
    if (signing.getState().status === 'idle') void signing.getState().load()
  }, [signing])
  const choices = useMemo(() => signingChoices(keys, overview, scheme), [keys, overview, scheme])
  const chosen = choices.find((choice) => choice.key.id === value)
  const blocked = choices.filter((choice) => choice.problem !== null)

  return (
    <div className="key-picker">
      <select value={value ?? ''} onChange={(event) => onChange(event.target.value || null)} data-testid={testId} aria-label="Signing key">
        <option value="">{choices.length === 0 ? 'No keys in the keyring' : 'Choose a key…'}</option>
        {choices.map((choice) => (
          <option key={choice.key.id} value={choice.key.id} disabled={choice.problem !== null}>
            {choice.key.name} ({choice.schemeLabel}){choice.problem ? ' — cannot sign' : ''}
          </option>
        ))}
      </select>
      {status === 'error' && error && <p className="field-error">{error}</p>}
      {overview?.locked && (
        <p className="notice small" data-testid={`${testId}-locked`}>
          The keyring is locked: unlock it (Keyring page) to sign.
        </p>
      )}
      {chosen?.problem && <p className="field-error">{chosen.problem.reason}</p>}
      {!overview?.locked && blocked.length > 0 && (
        <details className="small" data-testid={`${testId}-blocked`}>
          <summary className="muted">
            {blocked.length} {blocked.length === 1 ? 'key cannot' : 'keys cannot'} sign — why
          </summary>
          <ul className="key-problems">
            {blocked.map((choice) => (
              <li key={choice.key.id} data-testid="key-problem" data-code={choice.problem!.code}>
                <strong>{choice.key.name}</strong>: {choice.problem!.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

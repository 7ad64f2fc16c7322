import { useState } from 'react'

interface ConfirmButtonProps {
  label: string
  confirmLabel: string
  onConfirm: () => void
  disabled?: boolean
  testId: string
  className?: string
}

/** A destructive action in two clicks, inline: no window.confirm (blocking, and odd in Electron). */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, testId, className = '' }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false)
  if (!asking) {
    return (
      <button type="button" className={`btn ${className}`} disabled={disabled} data-testid={testId} onClick={() => setAsking(true)}>
        {label}
      </button>
    )
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="btn btn-danger"
        data-testid={`${testId}-confirm`}
        // Focus follows the user's first click to the button that completes the action.
        ref={(button) => button?.focus()}
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="btn" data-testid={`${testId}-cancel`} onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  )
}

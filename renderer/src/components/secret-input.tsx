import { type InputHTMLAttributes, useState } from 'react'

interface SecretInputProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> {
  value: string
  onChange: (value: string) => void
  testId: string
}

/** A password field with a show/hide toggle; autocomplete and spellcheck off (no secret in dictionaries). */
export function SecretInput({ value, onChange, testId, className = '', ...rest }: SecretInputProps) {
  const [shown, setShown] = useState(false)
  return (
    <span className={`secret-input ${className}`}>
      <input
        {...rest}
        type={shown ? 'text' : 'password'}
        value={value}
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      <button type="button" className="btn btn-small" data-testid={`${testId}-toggle`} aria-pressed={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
    </span>
  )
}

import { useId } from 'react'
import type { KeyMaterialField } from '../../../../shared/model/keyring'
import { SecretInput } from '../../components/secret-input'

const LABELS: Record<KeyMaterialField, { label: string; hint: string; placeholder: string }> = {
  secret: { label: 'Secret', hint: 'As the provider shows it (whsec_…, hex, base64, token…)', placeholder: 'Signing secret' },
  publicKey: { label: 'Public key', hint: 'PEM (SPKI), JWK JSON, or a raw hex/base64 key', placeholder: '-----BEGIN PUBLIC KEY-----' },
  privateKey: { label: 'Private key', hint: 'PEM (PKCS#8) or JWK JSON, for decryption', placeholder: '-----BEGIN PRIVATE KEY-----' },
  certificate: { label: 'Certificate', hint: 'PEM certificate or chain (leaf first), or a trusted root', placeholder: '-----BEGIN CERTIFICATE-----' },
  jwks: { label: 'JWKS', hint: 'A JSON Web Key Set', placeholder: '{"keys": [{"kty": "RSA", "kid": "…", "n": "…", "e": "AQAB"}]}' }
}

interface MaterialInputsProps {
  fields: readonly KeyMaterialField[]
  values: Partial<Record<KeyMaterialField, string>>
  onChange: (field: KeyMaterialField, value: string) => void
  errors: { material?: string; jwks?: string }
}

/** One input per field the scheme can use: the secret as a password field, PEM and JSON as text areas. */
export function MaterialInputs({ fields, values, onChange, errors }: MaterialInputsProps) {
  const idPrefix = useId()
  return (
    <fieldset className="material-inputs" data-testid="key-material-inputs">
      <legend>
        Key material
        {fields.length > 1 && <span className="muted"> (any of these the scheme accepts)</span>}
      </legend>
      {fields.map((field) => {
        const { label, hint, placeholder } = LABELS[field]
        return (
          <label key={field} className="field" htmlFor={`${idPrefix}-${field}`}>
            <span className="field-label">{label}</span>
            {field === 'secret' ? (
              <SecretInput
                id={`${idPrefix}-${field}`}
                value={values.secret ?? ''}
                onChange={(value) => onChange('secret', value)}
                testId="key-secret-input"
                placeholder={placeholder}
                maxLength={16 * 1024}
              />
            ) : (
              <textarea
                id={`${idPrefix}-${field}`}
                className="mono"
                rows={field === 'jwks' ? 5 : 4}
                value={values[field] ?? ''}
                placeholder={placeholder}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={field === 'jwks' && errors.jwks !== undefined}
                data-testid={`key-material-${field}`}
                onChange={(event) => onChange(field, event.target.value)}
              />
            )}
            <span className="field-hint">{hint}</span>
            {field === 'jwks' && errors.jwks && <span className="field-error">{errors.jwks}</span>}
          </label>
        )
      })}
      {fields.length === 0 && <p className="muted">This scheme lists no key fields.</p>}
      {errors.material && <span className="field-error">{errors.material}</span>}
    </fieldset>
  )
}

import type { KeyMaterial, KeyMaterialField } from '../../../../shared/model/keyring'

const LABELS: Record<KeyMaterialField, string> = {
  secret: 'Secret',
  publicKey: 'Public key',
  privateKey: 'Private key',
  certificate: 'Certificate',
  jwks: 'JWKS'
}

/** Material the user asked to see, as plain text; the owner drops it on Hide or unmount. */
export function RevealedMaterial({ material, onHide }: { material: KeyMaterial; onHide: () => void }) {
  const entries = (Object.keys(LABELS) as KeyMaterialField[]).flatMap((field) => {
    const value = material[field]
    if (value === undefined) return []
    return [{ field, text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }]
  })
  return (
    <div className="revealed" data-testid="key-material">
      {entries.map(({ field, text }) => (
        <div key={field} className="revealed-field">
          <span className="field-label">{LABELS[field]}</span>
          <pre className="code-block" data-testid={`key-material-${field}-value`}>
            {text}
          </pre>
        </div>
      ))}
      {entries.length === 0 && <p className="muted">This key has no material.</p>}
      <button type="button" className="btn btn-small" data-testid="key-hide" onClick={onHide}>
        Hide
      </button>
    </div>
  )
}

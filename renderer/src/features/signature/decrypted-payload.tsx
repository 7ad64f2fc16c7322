import { useMemo } from 'react'
import { decodeBase64 } from '../../../../shared/lib/base64'
import { detectBodyFormat } from '../../../../shared/lib/body-format'
import type { Verdict } from '../../../../shared/model/verdict'
import { BodyPanel } from '../inspector/body-panel'

/** The plaintext of an encrypted payload, in the same viewers as a request body. */
export function DecryptedPayload({ decrypted }: { decrypted: NonNullable<Verdict['decrypted']> }) {
  const decoded = useMemo(() => {
    try {
      const bytes = decodeBase64(decrypted.bodyBase64)
      return { ok: true as const, bytes, format: detectBodyFormat(null, bytes) }
    } catch {
      return { ok: false as const }
    }
  }, [decrypted.bodyBase64])

  return (
    <section className="body-section" data-testid="decrypted-payload">
      <div className="section-title">
        <span>Decrypted payload</span>
        {/* The provider-side key id named in the envelope; the keyring entry is in the header above. */}
        {decrypted.keyId && (
          <span className="muted">
            key id <code>{decrypted.keyId}</code>
            {decrypted.keyStatus ? ` (${decrypted.keyStatus})` : ''}
          </span>
        )}
      </div>
      {decoded.ok ? (
        <BodyPanel bytes={decoded.bytes} contentType={null} format={decoded.format} />
      ) : (
        <p className="notice">The decrypted payload could not be decoded.</p>
      )}
    </section>
  )
}

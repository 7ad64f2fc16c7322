import { useMemo } from 'react'
import { type EndpointTlsMode, LOCAL_CA_ISSUER_ID } from '../../../../shared/model/tls'
import { useCertificates } from '../../app/services-context'
import { TLS_MODE_LABELS, type TlsDraft, type TlsDraftErrors } from './tls-form'

interface TlsFieldsProps {
  draft: TlsDraft
  onChange: (draft: TlsDraft) => void
  errors: TlsDraftErrors
  disabled?: boolean
}

/** TLS mode and, for https+mtls, who may connect. Used by the create form and the per-endpoint editor. */
export function TlsFields({ draft, onChange, errors, disabled }: TlsFieldsProps) {
  const certificates = useCertificates((s) => s.certificates)
  const issuers = useMemo(() => {
    const listed = [
      { id: LOCAL_CA_ISSUER_ID, label: 'Local CA', title: 'Whatever the local CA currently is (follows a regeneration)' },
      ...certificates.filter((cert) => cert.kind === 'issuer').map((cert) => ({ id: cert.id, label: cert.name, title: cert.subject }))
    ]
    // Ticked ids whose certificate is gone stay listed so they can be unticked (the endpoint would not start).
    const orphans = draft.trustedIssuerIds.filter((id) => !listed.some((item) => item.id === id))
    return [...listed, ...orphans.map((id) => ({ id, label: `${id} (removed)`, title: 'No longer in the certificate store' }))]
  }, [certificates, draft.trustedIssuerIds])

  const set = (patch: Partial<TlsDraft>) => onChange({ ...draft, ...patch })
  const toggleIssuer = (id: string, on: boolean) =>
    set({ trustedIssuerIds: on ? [...draft.trustedIssuerIds, id] : draft.trustedIssuerIds.filter((item) => item !== id) })

  return (
    <div className="tls-fields" data-testid="tls-fields">
      <label className="field">
        <span className="field-label">Protocol</span>
        <select data-testid="tls-mode-select" value={draft.mode} disabled={disabled} onChange={(event) => set({ mode: event.target.value as EndpointTlsMode })}>
          {(Object.keys(TLS_MODE_LABELS) as EndpointTlsMode[]).map((mode) => (
            <option key={mode} value={mode}>
              {TLS_MODE_LABELS[mode]}
            </option>
          ))}
        </select>
      </label>
      {draft.mode !== 'http' && (
        <p className="field-hint">
          {draft.mode === 'https' ? 'HTTPS' : 'HTTPS, asking senders for a client certificate'}. The server certificate comes from the local CA; the keyring
          must be unlocked to start the endpoint.
        </p>
      )}
      {draft.mode === 'https+mtls' && (
        <>
          <label className="field">
            <span className="field-label">Client certificates</span>
            <select
              data-testid="tls-client-cert-select"
              value={draft.clientCert}
              disabled={disabled}
              onChange={(event) => set({ clientCert: event.target.value as TlsDraft['clientCert'] })}
            >
              <option value="require">require</option>
              <option value="request">request</option>
            </select>
            <span className="field-hint">
              {draft.clientCert === 'require'
                ? 'Refuse connections without a certificate from a trusted issuer (listed as rejected).'
                : 'Ask for one and record the verdict, but accept every connection.'}
            </span>
          </label>
          <fieldset className="field tls-issuers" aria-invalid={errors.trustedIssuerIds !== undefined}>
            <legend className="field-label">Trusted issuers</legend>
            {issuers.map(({ id, label, title }) => (
              <label key={id} className="check" title={title}>
                <input
                  type="checkbox"
                  checked={draft.trustedIssuerIds.includes(id)}
                  disabled={disabled}
                  data-testid={`tls-issuer-${id}`}
                  onChange={(event) => toggleIssuer(id, event.target.checked)}
                />
                <span className="check-label">{label}</span>
              </label>
            ))}
            {draft.trustedIssuerIds.length === 0 && <span className="field-warning">No trusted issuer: every client certificate is refused.</span>}
            {errors.trustedIssuerIds && <span className="field-error">{errors.trustedIssuerIds}</span>}
          </fieldset>
          <label className="field">
            <span className="field-label">Pinned fingerprints</span>
            <textarea
              className="mono"
              rows={2}
              data-testid="tls-pins-input"
              placeholder="SHA-256, one per line (empty: no pinning)"
              spellCheck={false}
              value={draft.pinnedFingerprints}
              disabled={disabled}
              aria-invalid={errors.pinnedFingerprints !== undefined}
              onChange={(event) => set({ pinnedFingerprints: event.target.value })}
            />
            {errors.pinnedFingerprints && <span className="field-error">{errors.pinnedFingerprints}</span>}
          </label>
        </>
      )}
      {draft.mode !== 'http' && (
        <label className="field">
          <span className="field-label">Extra hosts</span>
          <textarea
            className="mono"
            rows={1}
            data-testid="tls-hosts-input"
            placeholder="e.g. hooks.test, one per line"
            spellCheck={false}
            value={draft.extraHosts}
            disabled={disabled}
            aria-invalid={errors.extraHosts !== undefined}
            onChange={(event) => set({ extraHosts: event.target.value })}
          />
          <span className="field-hint">Besides localhost, 127.0.0.1 and ::1.</span>
          {errors.extraHosts && <span className="field-error">{errors.extraHosts}</span>}
        </label>
      )}
    </div>
  )
}

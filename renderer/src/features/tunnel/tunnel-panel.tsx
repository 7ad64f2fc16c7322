import { type FormEvent, useEffect, useState } from 'react'
import type { TunnelView } from '../../../../shared/model/tunnel'
import { CopyButton } from '../../components/copy-button'
import { SecretInput } from '../../components/secret-input'
import { healthLine, statusLabel } from './tunnel-format'
import type { TunnelPatch, TunnelsState } from './tunnels-store'

interface TunnelPanelProps {
  endpointId: string
  tunnel: TunnelView | undefined
  save: TunnelsState['set']
  remove: TunnelsState['remove']
  onClose(): void
}

/**
 * The endpoint's public URL: a relay-server channel (URL + client token from POST /channels) or a
 * smee channel. Shows the health and where senders post; the token is write-only here.
 */
export function TunnelPanel({ endpointId, tunnel, save, remove, onClose }: TunnelPanelProps) {
  const [url, setUrl] = useState(tunnel?.config.url ?? '')
  const [token, setToken] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const now = useNow(1_000)
  const isRelay = /\/c\/[0-9a-z]{24}\/?$/.test(url.trim())

  const run = async (action: () => Promise<{ ok: boolean; error?: string }>) => {
    setBusy(true)
    setError(null)
    const outcome = await action()
    setBusy(false)
    if (!outcome.ok) setError(outcome.error ?? 'failed')
    return outcome.ok
  }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const patch: TunnelPatch = { url: url.trim(), enabled: true }
    if (token) patch.token = token
    void run(() => save(endpointId, patch)).then((ok) => ok && setToken(''))
  }

  return (
    <div className="tunnel-panel" data-testid="tunnel-panel">
      {tunnel && (
        <div className="tunnel-health" data-testid="tunnel-health" data-status={tunnel.health.status}>
          <div>
            <strong>{statusLabel(tunnel.health.status)}</strong>
            {tunnel.health.delivered > 0 && <span className="muted"> · {tunnel.health.delivered} delivered</span>}
          </div>
          <div className="small muted" data-testid="tunnel-health-line">
            {healthLine(tunnel.health, now)}
          </div>
          {tunnel.health.publicUrl && (
            <div className="tunnel-public">
              <span className="mono small" data-testid="tunnel-public-url">
                {tunnel.health.publicUrl}
              </span>
              <CopyButton text={tunnel.health.publicUrl} label="Copy" testId="tunnel-copy-url" />
            </div>
          )}
          {tunnel.config.provider === 'smee' && (
            <div className="small tunnel-caveat">smee re-serialises bodies (signatures over raw bytes may fail) and answers senders itself.</div>
          )}
        </div>
      )}
      <form className="tunnel-form" onSubmit={submit}>
        <label className="small">
          Channel URL
          <input
            type="url"
            value={url}
            placeholder="https://relay.example.com/c/… or https://smee.io/…"
            spellCheck={false}
            data-testid="tunnel-url"
            onChange={(event) => setUrl(event.target.value)}
          />
        </label>
        {isRelay && (
          <label className="small">
            Client token {tunnel?.config.hasToken && <span className="muted">(set; leave empty to keep it)</span>}
            <SecretInput value={token} onChange={setToken} testId="tunnel-token" />
          </label>
        )}
        {tunnel && !tunnel.config.tokenStored && tunnel.config.hasToken && (
          <div className="small muted">The keyring is locked: the token is held until the engine stops.</div>
        )}
        {error && (
          <div className="endpoint-error" data-testid="tunnel-error">
            {error}
          </div>
        )}
        <div className="endpoint-actions">
          <button type="submit" className="btn btn-small btn-primary" disabled={busy || url.trim() === ''} data-testid="tunnel-save">
            {tunnel ? 'Save and reconnect' : 'Connect'}
          </button>
          {tunnel && (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              data-testid="tunnel-toggle"
              onClick={() => void run(() => save(endpointId, { enabled: !tunnel.config.enabled }))}
            >
              {tunnel.config.enabled ? 'Disconnect' : 'Reconnect'}
            </button>
          )}
          {tunnel && (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              data-testid="tunnel-remove"
              onClick={() => void run(() => remove(endpointId)).then((ok) => ok && onClose())}
            >
              Remove
            </button>
          )}
          <button type="button" className="btn btn-small" onClick={onClose} data-testid="tunnel-close">
            Close
          </button>
        </div>
      </form>
    </div>
  )
}

/** The current time, refreshed every `ms` while mounted ("3 s ago" keeps moving). */
function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}

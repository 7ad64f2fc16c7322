import type { EngineClient, EngineEvent } from '../../shared/api/contract'
import { isEngineError } from '../../shared/errors'
import type { TunnelHealth } from '../../shared/model/tunnel'
import { parseTunnelUrl } from '../engine/tunnel/tunnel-url'
import type { CliContext } from './cli-context'
import { UsageError } from './usage-error'

export interface TunnelFlags {
  url: string
  token: string | undefined
}

/** `--tunnel URL [--tunnel-token TOKEN]` (the token may come from HOOKSCOPE_TUNNEL_TOKEN), validated. */
export function tunnelFlags(values: { tunnel?: string; 'tunnel-token'?: string }, envToken: string | undefined): TunnelFlags | null {
  const token = values['tunnel-token'] ?? envToken
  if (values.tunnel === undefined) {
    if (values['tunnel-token'] !== undefined) throw new UsageError('--tunnel-token needs --tunnel URL')
    return null
  }
  const target = parseTunnelUrl(values.tunnel)
  if (!target) throw new UsageError(`--tunnel must be a relay-server channel URL (http(s)://host/c/<id>) or a smee channel URL, not "${values.tunnel}"`)
  if (target.provider === 'hookscope' && !token) {
    throw new UsageError('--tunnel to a relay-server channel needs --tunnel-token TOKEN (or HOOKSCOPE_TUNNEL_TOKEN): the clientToken from POST /channels')
  }
  if (token !== undefined && !/^[\x21-\x7e]{1,512}$/.test(token)) throw new UsageError('--tunnel-token: visible ASCII, at most 512 characters')
  return { url: target.url, token: target.provider === 'hookscope' ? token : undefined }
}

/** Saves the tunnel on the endpoint (sealed token when the keyring is unlocked); it starts with the engine. */
export async function applyTunnel(client: EngineClient, endpointId: string, flags: TunnelFlags): Promise<void> {
  try {
    await client.invoke('tunnels.set', { endpointId, url: flags.url, enabled: true, ...(flags.token ? { token: flags.token } : {}) })
  } catch (error) {
    if (isEngineError(error) && error.code === 'BAD_INPUT') throw new UsageError(`--tunnel: ${error.message}`)
    throw error
  }
}

/**
 * Lines for the tunnel of `endpointId`: `Tunnel connected: <public url>` on every (re)connection,
 * the reason and the next attempt when it drops, and the queue drained after a reconnection.
 * Metric-only updates (RTT, last event) print nothing.
 */
export function tunnelPrinter(endpointId: string, out: CliContext['out']): (event: EngineEvent) => void {
  let last: TunnelHealth | null = null
  return (event) => {
    if (event.type !== 'tunnel.changed' || event.tunnel.config.endpointId !== endpointId) return
    const health = event.tunnel.health
    const before = last
    last = health
    const statusChanged = before?.status !== health.status || before?.error?.code !== health.error?.code
    if (health.status === 'connected' && (statusChanged || before?.connectedAt !== health.connectedAt)) {
      out(`Tunnel connected: ${health.publicUrl}${health.queue.atConnect > 0 ? ` (${health.queue.atConnect} queued, delivering)` : ''}`)
    } else if ((health.status === 'reconnecting' || health.status === 'offline') && statusChanged) {
      const retry = health.nextRetryAt === null ? '' : `; retrying in ${Math.max(0, Math.round((health.nextRetryAt - Date.now()) / 100) / 10)} s`
      out(`Tunnel ${health.status}: ${health.error?.message ?? 'connection lost'}${retry}`, 'stderr')
    }
    if (health.queue.atConnect > 0 && health.queue.drainedAt !== null && before?.queue.drainedAt === null) {
      out(`Tunnel queue drained: ${health.queue.delivered} delivered`)
    }
  }
}

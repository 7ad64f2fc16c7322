import type { TunnelHealth, TunnelStatus } from '../../../../shared/model/tunnel'

const LABELS: Record<TunnelStatus, string> = {
  off: 'tunnel off',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline'
}

export function statusLabel(status: TunnelStatus): string {
  return LABELS[status]
}

/** "3 s ago", "2 min ago"; `now` passed in so it renders the same in tests. */
export function ago(at: number | null, now: number): string {
  if (at === null) return 'never'
  const seconds = Math.max(0, Math.round((now - at) / 1000))
  if (seconds < 60) return `${seconds} s ago`
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`
  return `${Math.round(seconds / 3600)} h ago`
}

/** One line under the chip: what is happening and what comes next. */
export function healthLine(health: TunnelHealth, now: number): string {
  switch (health.status) {
    case 'connected': {
      const rtt = health.rttMs === null ? '' : `, RTT ${health.rttMs.toFixed(1)} ms`
      const queue =
        health.queue.atConnect === 0
          ? ''
          : health.queue.drainedAt !== null
            ? `, queue of ${health.queue.atConnect} drained`
            : `, draining queue ${health.queue.delivered}/${health.queue.atConnect}`
      return `Last event ${ago(health.lastEventAt, now)}${rtt}${queue}`
    }
    case 'reconnecting':
    case 'offline': {
      const retry = health.nextRetryAt === null ? '' : ` Retrying in ${Math.max(0, Math.ceil((health.nextRetryAt - now) / 1000))} s.`
      return `${health.error?.message ?? 'Not connected.'}${retry}`
    }
    case 'connecting':
      return 'Connecting…'
    default:
      return health.error?.message ?? 'Not running.'
  }
}

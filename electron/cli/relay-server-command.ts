import { systemClock } from '../engine/clock'
import { redactUrl } from '../relay-server/redis-backend'
import { DEFAULT_RELAY_OPTIONS, type RelayServer, type RelayServerOptions, startRelayServer } from '../relay-server/relay-server'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { hostFlag, parseFlags, portFlag } from './parse-flags'
import { UsageError } from './usage-error'

/**
 * `hookscope relay-server`: the self-hostable relay behind public tunnel URLs. Prints
 * `Relay server on http://HOST:PORT`, one line per public request (written in batches, never
 * holding up the server: context.print), and stops gracefully on
 * SIGINT/SIGTERM (clients are told to reconnect; queued deliveries stay queued).
 */
export async function relayServerCommand(args: string[], context: CliContext): Promise<number> {
  const options = relayServerOptions(args, context.relayAdminToken)
  const { out, logger } = context
  const signalled = context.waitForSignal()
  let server: RelayServer
  try {
    server = await startRelayServer(options, { clock: systemClock, logger, requestLine: context.print })
  } catch (error) {
    throw new CliFailure((error as Error).message)
  }
  out(`Relay server on ${server.url}`)
  out(`Public URL: ${server.publicUrl}/c/<channel>`)
  out(
    options.redisUrl
      ? `Queues and channels in Redis at ${redactUrl(options.redisUrl)} (shared by every instance; a restart loses nothing)`
      : 'Queues and channels in memory: one instance only, and a restart loses them (use --redis URL to keep them)'
  )
  out(options.open ? 'Channel creation: open (POST /channels needs no token)' : 'Channel creation: POST /channels with Authorization: Bearer <admin token>')
  const signal = await signalled
  out(`hookscope: ${signal}, stopping`, 'stderr')
  await server.stop()
  return 0
}

/** Validates the flags (UsageError, exit 2). The admin token may also come from HOOKSCOPE_RELAY_ADMIN_TOKEN. */
export function relayServerOptions(args: string[], envAdminToken?: string): RelayServerOptions {
  const flags = parseFlags(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    'admin-token': { type: 'string' },
    open: { type: 'boolean' },
    redis: { type: 'string' },
    'max-body': { type: 'string' },
    'queue-max': { type: 'string' },
    'queue-max-bytes': { type: 'string' },
    'queue-ttl': { type: 'string' },
    'rate-limit': { type: 'string' },
    heartbeat: { type: 'string' },
    'response-timeout': { type: 'string' }
  })
  const adminToken = flags['admin-token'] ?? envAdminToken ?? null
  if (flags.open && adminToken) throw new UsageError('--open and --admin-token exclude each other')
  if (!flags.open && !adminToken) {
    throw new UsageError('give --admin-token T (or HOOKSCOPE_RELAY_ADMIN_TOKEN) so only you can create channels, or --open to let anyone')
  }
  if (adminToken !== null && adminToken.length < 16) throw new UsageError('--admin-token: at least 16 characters')
  const publicUrl = flags['public-url'] ?? null
  if (publicUrl !== null && !/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(publicUrl)) {
    throw new UsageError(`--public-url must be an http(s) URL without query, not "${publicUrl}"`)
  }
  const redisUrl = flags.redis ?? null
  if (redisUrl !== null && !/^rediss?:\/\/\S+$/.test(redisUrl)) throw new UsageError('--redis must be a redis:// or rediss:// URL')
  const defaults = DEFAULT_RELAY_OPTIONS
  return {
    ...defaults,
    host: hostFlag(flags.host, 'host', defaults.host),
    port: portFlag(flags.port, 'port', defaults.port),
    publicUrl,
    adminToken,
    open: flags.open ?? false,
    redisUrl,
    maxBodyBytes: intFlag(flags['max-body'], 'max-body', defaults.maxBodyBytes, 1, 1024 * 1024 * 1024),
    queue: {
      maxCount: intFlag(flags['queue-max'], 'queue-max', defaults.queue.maxCount, 1, 10_000_000),
      maxBytes: intFlag(flags['queue-max-bytes'], 'queue-max-bytes', defaults.queue.maxBytes, 1, 64 * 1024 * 1024 * 1024),
      ttlMs: intFlag(flags['queue-ttl'], 'queue-ttl', defaults.queue.ttlMs / 1000, 1, 365 * 24 * 3600) * 1000
    },
    ratePerSecond: intFlag(flags['rate-limit'], 'rate-limit', defaults.ratePerSecond, 0, 1_000_000),
    heartbeatMs: decimalSecondsFlag(flags.heartbeat, 'heartbeat', defaults.heartbeatMs),
    responseTimeoutMs: decimalSecondsFlag(flags['response-timeout'], 'response-timeout', defaults.responseTimeoutMs)
  }
}

function intFlag(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (!/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`)
  }
  return Number(value)
}

/** Seconds, decimals allowed (tests use sub-second heartbeats); returned in ms. */
function decimalSecondsFlag(value: string | undefined, name: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(value) || Number(value) < 0.05) throw new UsageError(`--${name} must be seconds (at least 0.05), not "${value}"`)
  return Math.round(Number(value) * 1000)
}

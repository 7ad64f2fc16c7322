import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { EngineEvent } from '../../shared/api/contract'
import type { DeliverySummary } from '../../shared/model/delivery'
import { isEngineError } from '../../shared/errors'
import { createEngine } from '../engine'
import { systemClock } from '../engine/clock'
import { defaultDataDir } from '../engine/default-data-dir'
import { startApiServer, type ApiServer } from '../engine/http/api-server'
import { createLocalClient } from '../engine/local-client'
import type { Logger } from '../engine/engine-types'
import { hostFlag, parseFlags, portFlag } from './parse-flags'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'

export const DEFAULT_ENDPOINT_ID = 'default'

/**
 * `hookscope listen`: the engine headless, its default endpoint on --host/--port, and the UI over
 * the local HTTP/WS API. Resolves with the exit code once a signal has stopped it cleanly.
 */
export async function listenCommand(args: string[], context: CliContext): Promise<number> {
  const flags = parseFlags(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    'ui-port': { type: 'string' },
    'ui-host': { type: 'string' },
    'no-ui': { type: 'boolean' }
  })
  const port = portFlag(flags.port, 'port', 8080)
  const host = hostFlag(flags.host, 'host', '127.0.0.1')
  const uiPort = portFlag(flags['ui-port'], 'ui-port', 0)
  const uiHost = hostFlag(flags['ui-host'], 'ui-host', '127.0.0.1')
  const dataDir = resolve(flags.data ?? defaultDataDir())
  const { out, logger } = context
  // Listen for SIGINT/SIGTERM from the start: a signal during startup then stops us cleanly
  // (store flushed, lock released) as soon as we are up, instead of killing us half-started.
  const signalled = context.waitForSignal()

  const engine = await openEngine(dataDir, context)
  const client = createLocalClient(engine)
  let api: ApiServer | undefined
  try {
    await engine.start()
    const endpoint = await ensureDefaultEndpoint(client, host, port)
    if (endpoint.state.status !== 'listening') {
      out(`hookscope: ${endpoint.state.error ?? 'the capture endpoint did not start'}`, 'stderr')
      await engine.stop()
      return 1
    }
    if (!flags['no-ui']) {
      if (!isLoopback(uiHost)) logger.warn('the UI is reachable from other machines; anyone with the token can use it', { host: uiHost })
      api = await startApiServer({
        engine,
        token: randomBytes(24).toString('base64url'),
        rendererDir: findRendererDir(context.appRoot, logger),
        host: uiHost,
        port: uiPort,
        logger
      })
    }
    out(`Hookscope ${context.version}, data in ${dataDir}`)
    out(`Capture URL: ${endpoint.state.url}`)
    if (api) out(`UI: ${api.uiUrl}`)
    engine.subscribe(deliveryPrinter(out))
  } catch (error) {
    await api?.close()
    await engine.stop()
    throw error
  }

  const signal = await signalled
  out(`hookscope: ${signal}, stopping`, 'stderr')
  await api?.close()
  await engine.stop()
  return 0
}

async function openEngine(dataDir: string, context: CliContext) {
  try {
    return await createEngine(
      { dataDir, host: 'headless', version: context.version, passphrase: context.passphrase },
      { clock: systemClock, logger: context.logger }
    )
  } catch (error) {
    // EngineErrors (STORE_*) already read well; a system error (the path is a file, no space...) gets a sentence.
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (isEngineError(error) || typeof code !== 'string') throw error
    throw new CliFailure(`cannot use the data folder ${dataDir}: ${(error as Error).message}`)
  }
}

async function ensureDefaultEndpoint(client: ReturnType<typeof createLocalClient>, host: string, port: number) {
  const existing = (await client.invoke('endpoints.list', {})).find((endpoint) => endpoint.id === DEFAULT_ENDPOINT_ID)
  if (existing) return client.invoke('endpoints.update', { id: DEFAULT_ENDPOINT_ID, patch: { host, port, enabled: true } })
  return client.invoke('endpoints.create', { id: DEFAULT_ENDPOINT_ID, name: 'Default', host, port })
}

/**
 * One line per delivery. A committed batch can hold hundreds of deliveries: their lines go out in
 * one write after the batch, not one system call each (stdout to a pipe or file is synchronous).
 */
export function deliveryPrinter(out: CliContext['out']): (event: EngineEvent) => void {
  let pending: string[] = []
  const flush = () => {
    const lines = pending
    pending = []
    if (lines.length > 0) out(lines.join('\n'))
  }
  return (event) => {
    if (event.type !== 'delivery.added') return
    if (pending.length === 0) setImmediate(flush)
    pending.push(formatDeliveryLine(event.delivery))
  }
}

export function formatDeliveryLine(delivery: DeliverySummary): string {
  const time = new Date(delivery.receivedAt).toISOString().slice(11, 23)
  const size = formatSize(delivery.bodySize) + (delivery.truncated ? ' (truncated)' : '')
  return `${time}  ${delivery.method} ${delivery.url}  ${size}  ${delivery.responseStatus}`
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

function findRendererDir(appRoot: string, logger: Logger): string | null {
  const dir = join(appRoot, 'out', 'renderer')
  if (existsSync(join(dir, 'index.html'))) return dir
  logger.warn('the UI is not built (run npm run build); serving the API only')
  return null
}

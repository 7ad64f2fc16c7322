import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { EngineError } from '../../../shared/errors'
import type { Logger } from '../engine-types'
import { type ApiServerOptions, startApiServer } from './api-server'
import { ENGINE_FILE, writeEngineFile } from './engine-file'

export interface LocalAccessOptions {
  engine: ApiServerOptions['engine']
  /** The data folder the engine holds: the engine file goes there. */
  dataDir: string
  version: string
  logger: Logger
  /**
   * The host serves its UI through this server too (`hookscope listen`): on this host and port,
   * with these renderer files. Without it (`listen --no-ui`, the desktop app, whose window loads
   * app://): the API only, on 127.0.0.1, on a free port.
   */
  ui?: { host: string; port: number; rendererDir: string | null }
  /** Named in the engine file; the CLI trusts the file only while this process holds the folder's lock. */
  pid?: number
}

export interface LocalAccessPoint {
  port: number
  /** Where a browser opens the UI (meaningful when `ui` was given). */
  uiUrl: string
  /** Removes the engine file (if still ours), then closes the server. Idempotent. */
  stop(): Promise<void>
}

/**
 * How the CLI reaches the engine that holds a data folder, whoever hosts it (`hookscope listen`,
 * the desktop app): the engine's HTTP API with a per-run token (api-server.ts: Host, Origin and
 * token checked on every call), named in DIR/hookscope-engine.json (0600). `replay`, `send`,
 * `ca export`, `cert client` find it there (electron/cli/engine-connection.ts) instead of being
 * refused by the folder's lock. The host stops it before the engine, so the file never names a
 * stopped engine for longer than that.
 */
export async function startLocalAccessPoint(options: LocalAccessOptions): Promise<LocalAccessPoint> {
  const { engine, dataDir, version, logger, ui } = options
  const host = ui?.host ?? '127.0.0.1'
  const token = randomBytes(24).toString('base64url')
  const api = await startApiServer({ engine, token, rendererDir: ui?.rendererDir ?? null, host, port: ui?.port ?? 0, logger })
  // A wildcard address is reachable on loopback, and the commands run on this machine.
  const fileHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
  let removeEngineFile: () => void
  try {
    removeEngineFile = writeEngineFile(dataDir, { pid: options.pid ?? process.pid, host: fileHost, port: api.port, token, version })
  } catch (error) {
    await api.close()
    throw new EngineError('INTERNAL', `cannot write ${join(dataDir, ENGINE_FILE)}: ${(error as Error).message}`)
  }
  let stopped: Promise<void> | undefined
  return {
    port: api.port,
    uiUrl: api.uiUrl,
    stop: () => {
      stopped ??= (async () => {
        try {
          removeEngineFile()
        } finally {
          await api.close()
        }
      })()
      return stopped
    }
  }
}

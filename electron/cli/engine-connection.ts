import type { AppInfo } from '../../shared/api/contract'
import { isEngineError } from '../../shared/errors'
import type { Engine } from '../engine'
import { readEngineFile, removeEngineFile } from '../engine/http/engine-file'
import { createLocalClient } from '../engine/local-client'
import type { CliContext } from './cli-context'
import { keyringProblem, openEngine } from './open-engine'
import { type EngineInvoker, remoteEngine } from './remote-engine'

export interface EngineConnection {
  client: EngineInvoker
  /** The running engine this command talks to (`hookscope listen`, the desktop app); null when this command opened the folder. */
  running: RunningEngine | null
  /** Stops the engine this command opened; leaves a running one alone. */
  close(): Promise<void>
}

/**
 * The engine over `dataDir`: the running one when there is one (`hookscope listen` or the desktop
 * app, through its local API named in the data folder's engine file), else the folder opened by
 * this command. `command` names the command in the message when the folder is held by something
 * we cannot talk to (a Hookscope without that file, or whose local API did not start).
 */
export async function connectEngine(
  dataDir: string,
  context: CliContext,
  command: string,
  options: { needsKeyring?: boolean } = {}
): Promise<EngineConnection> {
  const file = readEngineFile(dataDir)
  if (file) {
    const client = remoteEngine(file.host, file.port, file.token)
    try {
      const info = await client.invoke('app.info', {})
      if (info.dataDir === dataDir) return { client, running: RUNNING_ENGINES[info.host], close: async () => undefined }
    } catch {
      // Gone since, or its pid now belongs to another process: open the folder, which says who holds it if anyone does.
    }
  }
  const engine: Engine = await openEngine(dataDir, context, command, options)
  // We hold the folder now: an engine file still there is stale (a listen or an app that was killed).
  removeEngineFile(dataDir)
  return { client: createLocalClient(engine), running: null, close: () => engine.stop() }
}

/** How messages name the engine that holds the folder, by its host. */
export interface RunningEngine {
  /** Completes "the keyring of …". */
  name: string
  /** Completes "it stays unlocked until …". */
  until: string
}

const RUNNING_ENGINES: Record<AppInfo['host'], RunningEngine> = {
  headless: { name: 'the running `hookscope listen`', until: 'that listen stops' },
  desktop: { name: 'the running Hookscope desktop app', until: 'the app quits' }
}

/**
 * Null when the keyring of the connected engine is unlocked, else the sentence to print. A
 * running engine whose keyring is locked is unlocked with the passphrase given (or typed at the
 * prompt on a terminal), as its UI would; an engine this command opened already tried it.
 */
export async function unlockedKeyring(connection: EngineConnection, context: CliContext, what: string): Promise<string | null> {
  const { client, running } = connection
  let status = await client.invoke('vault.status', {})
  if (status.state === 'locked' && running && status.protections.includes('passphrase')) {
    const passphrase = context.passphrase ?? (await context.askPassphrase?.(`Passphrase of the keyring of ${plain(running.name)}:`)) ?? undefined
    if (!passphrase) return keyringProblem(status, context.passphrase !== undefined, what)
    try {
      status = await client.invoke('vault.unlock', { passphrase })
      // As its UI would, it stays unlocked for the rest of its run: say so, it is not this command's to lock.
      context.out(`hookscope: unlocked the keyring of ${plain(running.name)}; it stays unlocked until ${running.until}`, 'stderr')
    } catch (error) {
      if (!isEngineError(error) || error.code !== 'BAD_PASSPHRASE') throw error
      return `${what} needs the keyring of ${running.name} unlocked, and HOOKSCOPE_PASSPHRASE did not unlock it`
    }
  }
  return keyringProblem(status, context.passphrase !== undefined, what)
}

/** A running engine's name without the backticks, for a prompt or a status line. */
function plain(name: string): string {
  return name.replaceAll('`', '')
}

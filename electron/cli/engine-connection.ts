import { isEngineError } from '../../shared/errors'
import type { Engine } from '../engine'
import { readEngineFile, removeEngineFile } from '../engine/http/engine-file'
import { createLocalClient } from '../engine/local-client'
import type { CliContext } from './cli-context'
import { keyringProblem, openEngine } from './open-engine'
import { type EngineInvoker, remoteEngine } from './remote-engine'

export interface EngineConnection {
  client: EngineInvoker
  /** True when talking to a running `hookscope listen`, false when this command opened the folder. */
  running: boolean
  /** Stops the engine this command opened; leaves a running one alone. */
  close(): Promise<void>
}

/**
 * The engine over `dataDir`: the running `hookscope listen` when there is one (through its local
 * API, named in the data folder's engine file), else the folder opened by this command. `command`
 * names the command in the message when the folder is held by something we cannot talk to (the
 * desktop app).
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
      if (info.dataDir === dataDir) return { client, running: true, close: async () => undefined }
    } catch {
      // Gone since, or its pid now belongs to another process: open the folder, which says who holds it if anyone does.
    }
  }
  const engine: Engine = await openEngine(dataDir, context, command, options)
  // We hold the folder now: an engine file still there is stale (a listen that was killed).
  removeEngineFile(dataDir)
  return { client: createLocalClient(engine), running: false, close: () => engine.stop() }
}

/**
 * Null when the keyring of the connected engine is unlocked, else the sentence to print. A
 * running engine whose keyring is locked is unlocked with the passphrase given (or typed at the
 * prompt on a terminal), as its UI would; an engine this command opened already tried it.
 */
export async function unlockedKeyring(connection: EngineConnection, context: CliContext, what: string): Promise<string | null> {
  const { client } = connection
  let status = await client.invoke('vault.status', {})
  if (status.state === 'locked' && connection.running && status.protections.includes('passphrase')) {
    const passphrase = context.passphrase ?? (await context.askPassphrase?.('Passphrase of the keyring of the running hookscope listen:')) ?? undefined
    if (!passphrase) return keyringProblem(status, context.passphrase !== undefined, what)
    try {
      status = await client.invoke('vault.unlock', { passphrase })
      // As its UI would, it stays unlocked for the rest of its run: say so, it is not this command's to lock.
      context.out('hookscope: unlocked the keyring of the running hookscope listen; it stays unlocked until that listen stops', 'stderr')
    } catch (error) {
      if (!isEngineError(error) || error.code !== 'BAD_PASSPHRASE') throw error
      return `${what} needs the keyring of the running \`hookscope listen\` unlocked, and HOOKSCOPE_PASSPHRASE did not unlock it`
    }
  }
  return keyringProblem(status, context.passphrase !== undefined, what)
}

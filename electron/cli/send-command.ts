import { resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { EngineParams } from '../../shared/api/contract'
import { parseParams } from '../../shared/api/validate'
import { isEngineError } from '../../shared/errors'
import type { Attempt } from '../../shared/model/relay'
import { systemClock } from '../engine/clock'
import { defaultDataDir } from '../engine/default-data-dir'
import { toAttempt } from '../engine/relay/attempt-record'
import { createStandaloneSender } from '../engine/relay/standalone-sender'
import { allSchemes, findScheme } from '../engine/verify/registry'
import { attemptJson, formatAttemptLine, succeeded } from './attempt-lines'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { connectEngine, type EngineConnection, unlockedKeyring } from './engine-connection'
import { readBodyFile } from './input-files'
import { readKeyringFile } from './keyring-file'
import { parseFlags } from './parse-flags'
import { httpUrlFlag } from './url-flag'
import { UsageError } from './usage-error'

type SendOne = (params: EngineParams<'sender.send'>) => Promise<Attempt>

/**
 * `hookscope send --url URL --scheme SCHEME --key KEY_ID [--data DIR | --keyring FILE] [--event TYPE]
 * [--body FILE] [--count N] [--interval MS] [--json]`: signed test events without a provider,
 * each with a fresh id and timestamp, `--interval` ms from one start to the next. With --data
 * (the default folder without either) the key comes from that keyring (through the running
 * `hookscope listen` when there is one) and each send is stored as an attempt; with --keyring,
 * from a plaintext keyring file, and nothing is stored. Exit 0 when every answer is 2xx, 1
 * otherwise, 2 bad input.
 */
export async function sendCommand(args: string[], context: CliContext): Promise<number> {
  const flags = parseFlags(args, {
    url: { type: 'string' },
    scheme: { type: 'string' },
    key: { type: 'string' },
    data: { type: 'string' },
    keyring: { type: 'string' },
    event: { type: 'string' },
    body: { type: 'string' },
    count: { type: 'string' },
    interval: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (flags.url === undefined) throw new UsageError('--url URL is required: where to send')
  const url = httpUrlFlag(flags.url, 'url')
  if (flags.scheme === undefined) throw new UsageError('--scheme is required (e.g. standard-webhooks, stripe, github)')
  if (!findScheme(flags.scheme)) throw new UsageError(`--scheme: unknown scheme "${flags.scheme}" (known: ${allSchemes.map((scheme) => scheme.id).join(', ')})`)
  if (flags.key === undefined) throw new UsageError('--key KEY_ID is required: the keyring key to sign with')
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(flags.key)) throw new UsageError(`--key must be a keyring key id, not "${flags.key}"`)
  if (flags.data !== undefined && flags.keyring !== undefined) throw new UsageError('give --data DIR or --keyring FILE, not both')
  if (flags.event !== undefined && flags.body !== undefined) throw new UsageError('give --event TYPE or --body FILE, not both')
  if (flags.event !== undefined && !/^[\x21-\x7e]{1,120}$/.test(flags.event))
    throw new UsageError(`--event must be an event type such as invoice.paid, not "${flags.event}"`)
  const count = intFlag(flags.count, 'count', 1, 1000, 1)
  const intervalMs = intFlag(flags.interval, 'interval', 0, 3_600_000, 0)
  const body = flags.body === undefined ? undefined : readBodyFile(flags.body)
  const params: EngineParams<'sender.send'> = {
    url,
    keyId: flags.key,
    scheme: flags.scheme,
    ...(flags.event !== undefined ? { event: flags.event } : {}),
    ...(body !== undefined ? { bodyBase64: body.toString('base64') } : {})
  }

  let sendOne: SendOne
  let close: () => Promise<void>
  if (flags.keyring !== undefined) {
    const keys = readKeyringFile(flags.keyring)
    if (!keys.some((key) => key.id === flags.key))
      throw new UsageError(`--key: no key "${flags.key}" in ${flags.keyring} (it has: ${keys.map((key) => key.id).join(', ') || 'none'})`)
    const standalone = createStandaloneSender({ keys, clock: systemClock, logger: context.logger, version: context.version })
    sendOne = async (one) => {
      const { attempts } = await standalone.sender.send(parseParams('sender.send', one))
      return toAttempt(attempts[0]!, null)
    }
    close = async () => standalone.close()
  } else {
    const connection: EngineConnection = await connectEngine(resolve(flags.data ?? defaultDataDir()), context, 'send')
    sendOne = async (one) => (await connection.client.invoke('sender.send', one)).attempts[0]!
    close = () => connection.close()
    try {
      const problem = await unlockedKeyring(connection, context, 'send')
      if (problem) throw new CliFailure(problem)
    } catch (error) {
      await close()
      throw error
    }
  }

  let allOk = true
  try {
    for (let n = 1; n <= count; n++) {
      const startedAt = Date.now()
      let attempt: Attempt
      try {
        attempt = await sendOne(params)
      } catch (error) {
        // Unknown key, a key of another scheme, an unknown event: nothing was sent.
        if (isEngineError(error) && (error.code === 'BAD_INPUT' || error.code === 'NOT_FOUND')) throw new UsageError(error.message)
        throw error
      }
      if (!succeeded(attempt)) allOk = false
      context.out(flags.json ? attemptJson(attempt) : formatAttemptLine(attempt, count === 1 ? 'send' : `send ${n}/${count}`))
      if (n < count) await sleep(Math.max(0, startedAt + intervalMs - Date.now()))
    }
  } finally {
    await close()
  }
  return allOk ? 0 : 1
}

function intFlag(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`)
  return Number(value)
}

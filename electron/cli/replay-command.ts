import { resolve } from 'node:path'
import { isEngineError } from '../../shared/errors'
import type { Attempt } from '../../shared/model/relay'
import { defaultDataDir } from '../engine/default-data-dir'
import { attemptJson, formatAttemptLine, succeeded } from './attempt-lines'
import type { CliContext } from './cli-context'
import { CliFailure } from './cli-failure'
import { connectEngine, unlockedKeyring } from './engine-connection'
import { headerFlags, withHeaders } from './header-flags'
import { readBodyFile } from './input-files'
import { parseFlagsAndPositionals } from './parse-flags'
import { httpUrlFlag } from './url-flag'
import { UsageError } from './usage-error'

/**
 * `hookscope replay ID… [--data DIR] [--to URL] [--resign KEY_ID] [--body FILE] [--header 'Name: value']… [--json]`:
 * replays deliveries one after another (to --to, or to the target of the first forwarding rule
 * of the delivery's endpoint that matches it) and prints each attempt. Through the running
 * `hookscope listen` when there is one. Exit 0 when every answer is 2xx, 1 otherwise, 2 bad input.
 */
export async function replayCommand(args: string[], context: CliContext): Promise<number> {
  const { values: flags, positionals: ids } = parseFlagsAndPositionals(args, {
    data: { type: 'string' },
    to: { type: 'string' },
    resign: { type: 'string' },
    body: { type: 'string' },
    header: { type: 'string', multiple: true },
    json: { type: 'boolean' }
  })
  if (ids.length === 0) throw new UsageError('give the id of at least one delivery to replay (hookscope export lists them)')
  for (const id of ids) if (!/^[0-9a-z]{1,64}$/i.test(id)) throw new UsageError(`"${id}" is not a delivery id`)
  const to = flags.to === undefined ? undefined : httpUrlFlag(flags.to, 'to')
  const headers = headerFlags(flags.header)
  const body = flags.body === undefined ? undefined : readBodyFile(flags.body)
  if (flags.resign !== undefined && !/^[A-Za-z0-9._:-]{1,64}$/.test(flags.resign))
    throw new UsageError(`--resign must be a keyring key id, not "${flags.resign}"`)
  const dataDir = resolve(flags.data ?? defaultDataDir())

  const connection = await connectEngine(dataDir, context, 'replay')
  let allOk = true
  try {
    const { client } = connection
    if (flags.resign !== undefined) {
      const problem = await unlockedKeyring(connection, context, 'replay --resign')
      if (problem) throw new CliFailure(problem)
    }
    // Every id checked first: a typo fails before anything is sent.
    const deliveries = []
    for (const id of ids) {
      try {
        deliveries.push(await client.invoke('deliveries.get', { id }))
      } catch (error) {
        if (isEngineError(error) && error.code === 'NOT_FOUND') throw new UsageError(`no delivery ${id} in ${dataDir}`)
        throw error
      }
    }
    for (const delivery of deliveries) {
      const edit = {
        ...(headers.length > 0 ? { headers: withHeaders(delivery.headers, headers) } : {}),
        ...(body !== undefined ? { bodyBase64: body.toString('base64') } : {})
      }
      let attempt: Attempt
      try {
        attempt = await client.invoke('replay.send', {
          deliveryId: delivery.id,
          ...(to !== undefined ? { to } : {}),
          ...(flags.resign !== undefined ? { resignKeyId: flags.resign } : {}),
          ...(Object.keys(edit).length > 0 ? { edit } : {})
        })
      } catch (error) {
        if (isEngineError(error) && (error.code === 'BAD_INPUT' || error.code === 'NOT_FOUND')) throw new UsageError(`${delivery.id}: ${error.message}`)
        throw error
      }
      if (!succeeded(attempt)) allOk = false
      context.out(flags.json ? attemptJson(attempt) : formatAttemptLine(attempt, delivery.id))
    }
  } finally {
    await connection.close()
  }
  return allOk ? 0 : 1
}

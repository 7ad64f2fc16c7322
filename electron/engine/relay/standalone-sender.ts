import { EngineError } from '../../../shared/errors'
import type { KeyEntry } from '../../../shared/model/keyring'
import type { Clock, Logger } from '../engine-types'
import { createIdGenerator } from '../ids'
import { signRequest } from '../sign'
import { allSchemes } from '../verify/registry'
import { verifyDelivery } from '../verify/verify-delivery'
import { AttemptBatches } from './attempt-batches'
import { AttemptRunner } from './attempt-runner'
import { providerTemplates } from './event-templates'
import { RequestSigner } from './request-signer'
import { systemCaPems } from './system-cas'
import { TargetAgents } from './target-agents'
import { TestSender } from './test-sender'
import { systemTimers } from './timers'

/**
 * The test sender without an engine (`hookscope send --keyring FILE`): keys from a plaintext
 * keyring file, nothing stored, the same composing, signing, sending and verdict as in the engine.
 */
export function createStandaloneSender(deps: { keys: KeyEntry[]; clock: Clock; logger: Logger; version: string }) {
  const keyring = { locked: false, keys: deps.keys }
  const nextId = createIdGenerator(deps.clock.now)
  const agents = new TargetAgents(
    {
      trustedCaPems: () => [],
      clientCertificate: (id) => {
        throw new EngineError('NOT_FOUND', `no client certificate ${id} without a data folder`)
      }
    },
    () => systemCaPems()
  )
  const runner = new AttemptRunner({
    sink: { save: () => Promise.resolve() },
    agents,
    clock: deps.clock,
    timers: systemTimers,
    logger: deps.logger,
    emit: () => undefined
  })
  const sender = new TestSender({
    runner,
    batches: new AttemptBatches({ clock: deps.clock, timers: systemTimers, nextId, emit: () => undefined }),
    signer: new RequestSigner({ keys: () => keyring, signRequest, clock: deps.clock, nextId }),
    templates: providerTemplates,
    verify: (request) =>
      verifyDelivery({ method: request.method, url: request.url.href, headers: request.headers, body: request.body, endpointId: null }, keyring, {
        schemes: allSchemes,
        now: deps.clock.now(),
        checkedAt: deps.clock.now()
      }),
    clock: deps.clock,
    nextId,
    userAgent: `Hookscope/${deps.version}`
  })
  return { sender, close: () => agents.close() }
}

import { describe, expect, it } from 'vitest'
import type { BatchOutcome } from '../../../../electron/engine/capture/writer/write-executor'
import type { WriteOp } from '../../../../electron/engine/capture/writer/write-ops'
import type { AttemptRecord } from '../../../../electron/engine/relay/attempt-record'
import { AttemptsRepo } from '../../../../electron/engine/relay/attempts-repo'
import { blankRecord } from '../../../../electron/engine/relay/relay-scheduler'
import { DeliveriesReader } from '../../../../electron/engine/store/deliveries-reader'
import { makeDelivery } from '../../../helpers/delivery-records'
import { tempDatabasePerTest } from '../../../helpers/temp-database'
import { testExecutor } from '../../../helpers/write-executor'

/**
 * The relay's rows that must never be apart from what they follow, on a real SQLite file: the first
 * attempt of an ack-first delivery goes in with the delivery, a retry goes in with the failure that
 * scheduled it; each pair is one op (one savepoint of the batch's transaction): both or neither.
 */

const temp = tempDatabasePerTest()

const executor = () => testExecutor(temp.db)

function attempt(id: string, deliveryId: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    ...blankRecord(),
    id,
    deliveryId,
    endpointId: 'ep',
    kind: 'relay',
    mode: 'ack-first',
    ruleId: 'rule',
    dueAt: 1,
    target: 'http://127.0.0.1:1/',
    ...overrides
  }
}

function insert(deliveryId: string, relayAttempt?: AttemptRecord): WriteOp {
  const { verdict: _verdict, ...delivery } = makeDelivery({ id: deliveryId })
  return { kind: 'delivery.insert', input: relayAttempt ? { delivery, checkedAt: 1, relayAttempt } : { delivery, checkedAt: 1 } }
}

const stateOf = ({ results }: BatchOutcome) => results.map((result) => (result.ok ? 'ok' : result.error.code))
/** A state the attempts table refuses (CHECK constraint): makes one row of a pair fail. */
const REFUSED = 'lost' as AttemptRecord['state']

describe('an ack-first delivery and its first attempt', () => {
  it('are stored together, and the attempt is what a restart resumes', async () => {
    const outcome = await executor().run([insert('d1', attempt('a1', 'd1')), insert('d2')])
    expect(stateOf(outcome)).toEqual(['ok', 'ok'])
    expect(new DeliveriesReader(temp.db).get('d1')).toBeDefined()
    const attempts = new AttemptsRepo(temp.db)
    expect(attempts.pendingRelays().map((record) => [record.id, record.deliveryId, record.state, record.number])).toEqual([['a1', 'd1', 'scheduled', 1]])
    // A delivery without a rule gets no attempt.
    expect(attempts.lastRelay('d2')).toBeUndefined()
  })

  it('are neither stored when one of them cannot be, and the rest of the batch is', async () => {
    const outcome = await executor().run([
      insert('d1', attempt('a1', 'd1')),
      // The same delivery id again: refused, and its attempt with it.
      insert('d1', attempt('a2', 'd1')),
      // An attempt row the table refuses: its delivery is not stored either.
      insert('d3', attempt('a3', 'd3', { state: REFUSED })),
      insert('d4', attempt('a4', 'd4'))
    ])
    expect(stateOf(outcome)).toEqual(['ok', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_CHECK', 'ok'])
    const attempts = new AttemptsRepo(temp.db)
    expect(attempts.pendingRelays().map((record) => record.id)).toEqual(['a1', 'a4'])
    expect(attempts.get('a2')).toBeUndefined()
    expect(new DeliveriesReader(temp.db).get('d3')).toBeUndefined()
  })
})

describe('a finished attempt and the retry it schedules', () => {
  it('are stored together: the failure and the scheduled retry', async () => {
    const writer = executor()
    await writer.run([insert('d1', attempt('a1', 'd1'))])
    const failed = attempt('a1', 'd1', { state: 'failed', responseStatus: 500, finishedAt: 2 })
    const retry = attempt('a2', 'd1', { number: 2, dueAt: 1002 })
    expect(stateOf(await writer.run([{ kind: 'attempt.save', input: { record: failed, next: retry } }]))).toEqual(['ok'])
    const attempts = new AttemptsRepo(temp.db)
    expect(attempts.get('a1')).toMatchObject({ state: 'failed', responseStatus: 500 })
    expect(attempts.lastRelay('d1')).toMatchObject({ id: 'a2', number: 2, state: 'scheduled', dueAt: 1002 })
    expect(attempts.failuresInChain('d1')).toBe(1)
  })

  it('are neither stored when the retry cannot be: the attempt stays as it was (in flight, re-sent after a restart)', async () => {
    const writer = executor()
    await writer.run([insert('d1', attempt('a1', 'd1'))])
    await writer.run([{ kind: 'attempt.save', input: { record: attempt('a1', 'd1', { state: 'in-flight', startedAt: 1 }), next: null } }])
    const failed = attempt('a1', 'd1', { state: 'failed', responseStatus: 500, finishedAt: 2 })
    const outcome = await writer.run([{ kind: 'attempt.save', input: { record: failed, next: attempt('a2', 'd1', { number: 2, state: REFUSED }) } }])
    expect(stateOf(outcome)).toEqual(['SQLITE_CONSTRAINT_CHECK'])
    const attempts = new AttemptsRepo(temp.db)
    expect(attempts.get('a1')).toMatchObject({ state: 'in-flight', responseStatus: null })
    expect(attempts.get('a2')).toBeUndefined()
    expect(attempts.pendingRelays().map((record) => [record.id, record.state])).toEqual([['a1', 'in-flight']])
  })
})

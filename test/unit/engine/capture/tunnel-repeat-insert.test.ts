import { describe, expect, it } from 'vitest'
import type { BatchOutcome, WriteResult } from '../../../../electron/engine/capture/writer/write-executor'
import type { WriteOp, WriteOutput } from '../../../../electron/engine/capture/writer/write-ops'
import type { AttemptRecord } from '../../../../electron/engine/relay/attempt-record'
import { AttemptsRepo } from '../../../../electron/engine/relay/attempts-repo'
import { blankRecord } from '../../../../electron/engine/relay/relay-scheduler'
import type { NewDelivery } from '../../../../electron/engine/store/stored-delivery'
import { makeDelivery } from '../../../helpers/delivery-records'
import { tempDatabasePerTest } from '../../../helpers/temp-database'
import { testExecutor } from '../../../helpers/write-executor'

/**
 * A tunnelled delivery the relay sends again (its acknowledgement was lost) is recognised by the
 * capture worker's insert, in the batch's transaction, on a real SQLite file: one row, and the
 * repeat's output names the copy stored before.
 */

const temp = tempDatabasePerTest()

const executor = () => testExecutor(temp.db)

/** A delivery that came through a relay-server tunnel under the relay's id `tunnelId` (or a smee one, without). */
function tunnelled(id: string, tunnelId: string | undefined, overrides: Partial<NewDelivery> & { responseStatus?: number } = {}): NewDelivery {
  return makeDelivery({
    id,
    source: {
      kind: 'tunnel',
      provider: tunnelId === undefined ? 'smee' : 'hookscope',
      publicUrl: 'https://relay.test/c/x',
      reserialized: false,
      deliveryId: tunnelId
    },
    ...overrides
  })
}

function insert(delivery: NewDelivery, relayAttempt?: AttemptRecord): WriteOp {
  const { verdict: _verdict, ...rest } = delivery
  return { kind: 'delivery.insert', input: relayAttempt ? { delivery: rest, checkedAt: 1, relayAttempt } : { delivery: rest, checkedAt: 1 } }
}

function attempt(id: string, deliveryId: string): AttemptRecord {
  return { ...blankRecord(), id, deliveryId, endpointId: 'ep', kind: 'relay', mode: 'ack-first', ruleId: 'rule', dueAt: 1, target: 'http://127.0.0.1:1/' }
}

function outputs({ results }: BatchOutcome): (WriteOutput<'delivery.insert'> | string)[] {
  return results.map((result: WriteResult) => (result.ok ? (result.value as WriteOutput<'delivery.insert'>) : result.error.code))
}

const rows = () =>
  temp.db.prepare(`SELECT id, endpoint_id AS endpointId, tunnel_delivery_id AS tunnelId FROM deliveries ORDER BY seq`).all() as {
    id: string
    endpointId: string
    tunnelId: string | null
  }[]

// No keyring: every stored delivery is 'unchecked'.
const stored = { verdict: { status: 'unchecked', scheme: null, code: 'NO_SCHEME' }, eventType: null }

describe('a tunnelled delivery sent again', () => {
  it('is stored once across two batches; the repeat names the first copy and its answer status', async () => {
    const writer = executor()
    expect(outputs(await writer.run([insert(tunnelled('d1', 'relay-1', { responseStatus: 201 }))]))).toEqual([stored])
    expect(outputs(await writer.run([insert(tunnelled('d2', 'relay-1', { responseStatus: 200 }))]))).toEqual([{ repeatOf: { id: 'd1', responseStatus: 201 } }])
    expect(rows()).toEqual([{ id: 'd1', endpointId: 'ep', tunnelId: 'relay-1' }])
  })

  it('is stored once within one batch, and its ack-first attempt is not stored either', async () => {
    const outcome = await executor().run([
      insert(tunnelled('d1', 'relay-1', { responseStatus: 207 }), attempt('a1', 'd1')),
      insert(tunnelled('d2', 'relay-1'), attempt('a2', 'd2')),
      insert(tunnelled('d3', 'relay-2'))
    ])
    expect(outputs(outcome)).toEqual([stored, { repeatOf: { id: 'd1', responseStatus: 207 } }, stored])
    expect(rows().map((row) => row.id)).toEqual(['d1', 'd3'])
    const attempts = new AttemptsRepo(temp.db)
    expect(attempts.pendingRelays().map((record) => record.id)).toEqual(['a1'])
  })

  it('is still recognised when its batch is rolled back and applied again, op by op', async () => {
    const outcome = await executor().run([
      insert(tunnelled('d1', 'relay-1', { responseStatus: 202 })),
      insert(tunnelled('d2', 'relay-1')),
      // The same delivery id again: this op throws, the batch is rolled back and re-applied isolated.
      insert(tunnelled('d1', 'relay-9'))
    ])
    // Had the first pass's rows or outputs leaked into the second, d1 would be its own repeat or d2 stored.
    expect(outputs(outcome)).toEqual([stored, { repeatOf: { id: 'd1', responseStatus: 202 } }, 'SQLITE_CONSTRAINT_UNIQUE'])
    expect(rows()).toEqual([{ id: 'd1', endpointId: 'ep', tunnelId: 'relay-1' }])
  })

  it('is no repeat on another endpoint, nor without a relay id (smee, local listener)', async () => {
    const writer = executor()
    const outcome = await writer.run([
      insert(tunnelled('d1', 'relay-1')),
      insert(tunnelled('d2', 'relay-1', { endpointId: 'other' })),
      insert(tunnelled('d3', undefined)),
      insert(tunnelled('d4', undefined)),
      insert(makeDelivery({ id: 'd5' })),
      insert(makeDelivery({ id: 'd6' }))
    ])
    expect(outputs(outcome)).toEqual([stored, stored, stored, stored, stored, stored])
    expect(rows().map((row) => [row.id, row.endpointId, row.tunnelId])).toEqual([
      ['d1', 'ep', 'relay-1'],
      ['d2', 'other', 'relay-1'],
      ['d3', 'ep', null],
      ['d4', 'ep', null],
      ['d5', 'ep', null],
      ['d6', 'ep', null]
    ])
    // And each endpoint's copy is what a later repeat on that endpoint is matched with.
    expect(outputs(await writer.run([insert(tunnelled('d7', 'relay-1', { endpointId: 'other' }))]))).toEqual([{ repeatOf: { id: 'd2', responseStatus: 200 } }])
  })

  it('is looked up through the deliveries_by_tunnel_id index, not a scan', () => {
    const plan = temp.db
      .prepare(`EXPLAIN QUERY PLAN SELECT id, response_status FROM deliveries WHERE endpoint_id = ? AND tunnel_delivery_id = ? LIMIT 1`)
      .all('ep', 'relay-1') as { detail: string }[]
    expect(plan.map((step) => step.detail).join('\n')).toContain('USING INDEX deliveries_by_tunnel_id')
  })
})

import { type DeliverySummary, type RejectedConnection, summarizeDelivery } from '../../../../shared/model/delivery'
import { type CompactVerdict, type Verdict, type VerdictBadge, verdictBadge } from '../../../../shared/model/verdict'
import type { AttemptRecord } from '../../relay/attempt-record'
import type { AttemptRemoval, AttemptsWriter } from '../../relay/attempts-writer'
import type { DeliveriesWriter, StoredCopy } from '../../store/deliveries-writer'
import type { SqliteDatabase } from '../../store/open-database'
import type { RejectedConnectionsRepo } from '../../store/rejected-connections-repo'
import type { ReplayLog } from '../../store/replay-log'
import type { NewDelivery, RecordedResponse } from '../../store/stored-delivery'
import { expandVerdict } from '../../verify/compact-verdict'
import type { VerifiableDelivery } from '../../verify/delivery-verifier'
import { markDuplicate, replayKey } from '../../verify/replay'

/**
 * The store's write operations, as the capture worker runs them: a batch of typed ops, prepared
 * (verification, outside any transaction) and then applied in one transaction, one commit and one
 * durability wait for the whole batch. Other writers join by adding an entry to `WriteOpTypes` and
 * one to `writeOpHandlers` (the relay's attempt rows, say); nothing else changes.
 */
export interface WriteOpTypes {
  /**
   * A captured request: verified against the keyring, replay-checked, stored. With `relayAttempt`
   * (an ack-first rule matched) its first relay attempt, `scheduled`, is stored in the same
   * savepoint: a delivery stored, and so acknowledged, always has its relay pending, whenever the
   * process dies after the answer (the relay's next start() resumes it).
   * A tunnelled delivery the relay sent again (same endpoint, same relay id: its acknowledgement was
   * lost) is not stored, nor its attempt: the output is then `repeatOf`, the copy already stored.
   * `bodyInFile`: the body is already in its file (body-files.ts); it is verified, not stored again.
   */
  'delivery.insert': {
    input: { delivery: Omit<NewDelivery, 'verdict'>; checkedAt: number; relayAttempt?: AttemptRecord; bodyInFile?: boolean }
    output: { verdict: VerdictBadge | null; eventType: string | null } | { repeatOf: StoredCopy }
  }
  /** The answer a delivery got, once known (a passthrough target's answer). */
  'delivery.respond': { input: { id: string; response: RecordedResponse }; output: DeliverySummary | null }
  /** Verification again, with the keyring as it is now; null if the delivery is gone. */
  'delivery.reverify': { input: { id: string; checkedAt: number }; output: { verdict: Verdict; summary: DeliverySummary } | null }
  'delivery.delete': { input: { id: string }; output: boolean }
  /** Deliveries and refused connections of one endpoint, or of all. */
  'deliveries.clear': { input: { endpointId?: string }; output: number }
  'rejected.insert': { input: RejectedConnection; output: null }
  /**
   * A relay/replay/send attempt row, inserted or rewritten (the relay queues one per state change);
   * with `next`, the retry its outcome schedules, in the same savepoint: no crash between the two
   * leaves a chain ended at `failed` with retries left.
   */
  'attempt.save': { input: { record: AttemptRecord; next: AttemptRecord | null }; output: null }
  /** Attempts of removed deliveries; after the saves queued before it, so none comes back. */
  'attempts.remove': { input: AttemptRemoval; output: number }
}

export type WriteOpKind = keyof WriteOpTypes
export type WriteInput<K extends WriteOpKind> = WriteOpTypes[K]['input']
export type WriteOutput<K extends WriteOpKind> = WriteOpTypes[K]['output']
export type WriteOp = { [K in WriteOpKind]: { kind: K; input: WriteInput<K> } }[WriteOpKind]

/** What ops work with: the writer's connection and repositories, and verification. */
export interface WriteContext {
  db: SqliteDatabase
  deliveries: DeliveriesWriter
  rejected: RejectedConnectionsRepo
  replay: ReplayLog
  attempts: AttemptsWriter
  /** Checks a delivery against the keyring snapshot the writer holds now (compact: stored as is). */
  verify(delivery: VerifiableDelivery, checkedAt: number): Promise<CompactVerdict>
}

export interface WriteOpHandler<I, P, O> {
  /** Outside the transaction, may be async: verification, parsing. */
  prepare(input: I, context: WriteContext): P | Promise<P>
  /**
   * Inside the batch's transaction. May run twice: a batch rolled back because another op failed is
   * applied again (each op isolated), so apply must not change its prepared input.
   */
  apply(prepared: P, context: WriteContext): O
}

function handler<K extends WriteOpKind, P>(h: WriteOpHandler<WriteInput<K>, P, WriteOutput<K>>): WriteOpHandler<WriteInput<K>, P, WriteOutput<K>> {
  return h
}

const same = <T>(input: T): T => input

export const writeOpHandlers: { [K in WriteOpKind]: WriteOpHandler<WriteInput<K>, unknown, WriteOutput<K>> } = {
  'delivery.insert': handler<'delivery.insert', { delivery: NewDelivery; relayAttempt: AttemptRecord | undefined; bodyInFile: boolean }>({
    async prepare({ delivery, checkedAt, relayAttempt, bodyInFile }, context) {
      return { delivery: { ...delivery, verdict: await context.verify(verifiable(delivery), checkedAt) }, relayAttempt, bodyInFile: bodyInFile === true }
    },
    apply({ delivery, relayAttempt, bodyInFile }, context) {
      // Checked in the transaction that would insert it, on the only connection that writes
      // deliveries: nothing can be stored between the check and the insert, and a copy earlier in
      // the same batch is seen (and gone again if the batch is rolled back and re-applied).
      const repeatOf = context.deliveries.storedCopyOf(delivery)
      if (repeatOf) return { repeatOf }
      // The prepared delivery stays as it was: a rolled-back batch applies it again.
      const verdict = claimSenderId(context.replay, delivery.endpointId, delivery.id, delivery.verdict)
      const eventType = context.deliveries.insert({ ...delivery, verdict }, bodyInFile)
      if (relayAttempt) context.attempts.save(relayAttempt)
      return { verdict: verdict && verdictBadge(verdict), eventType }
    }
  }),
  'delivery.respond': handler<'delivery.respond', WriteInput<'delivery.respond'>>({
    prepare: same,
    apply({ id, response }, context) {
      if (!context.deliveries.setResponse(id, response)) return null
      return context.deliveries.summary(id) ?? null
    }
  }),
  'delivery.reverify': handler<'delivery.reverify', { id: string; verdict: Verdict; endpointId: string } | null>({
    async prepare({ id, checkedAt }, context) {
      const stored = context.deliveries.get(id)
      if (!stored) return null
      return { id, endpointId: stored.endpointId, verdict: await context.verify(verifiable(stored), checkedAt) }
    },
    apply(prepared, context) {
      if (!prepared) return null
      const verdict = claimSenderId(context.replay, prepared.endpointId, prepared.id, prepared.verdict)!
      // Deleted while it was being verified: nothing to report on.
      if (!context.deliveries.setVerdict(prepared.id, verdict)) return null
      const stored = context.deliveries.get(prepared.id)!
      return { verdict: expandVerdict(verdict, stored.body), summary: summarizeDelivery({ ...stored, verdict }) }
    }
  }),
  'delivery.delete': handler<'delivery.delete', WriteInput<'delivery.delete'>>({
    prepare: same,
    apply: ({ id }, context) => context.deliveries.delete(id)
  }),
  'deliveries.clear': handler<'deliveries.clear', WriteInput<'deliveries.clear'>>({
    prepare: same,
    apply({ endpointId }, context) {
      // Refused connections are listed with the deliveries, so "clear" clears them too.
      context.rejected.clear(endpointId)
      return context.deliveries.clear(endpointId)
    }
  }),
  'rejected.insert': handler<'rejected.insert', RejectedConnection>({
    prepare: same,
    apply(connection, context) {
      context.rejected.insert(connection)
      return null
    }
  }),
  'attempt.save': handler<'attempt.save', WriteInput<'attempt.save'>>({
    prepare: same,
    apply({ record, next }, context) {
      context.attempts.save(record)
      if (next) context.attempts.save(next)
      return null
    }
  }),
  'attempts.remove': handler<'attempts.remove', AttemptRemoval>({
    prepare: same,
    apply: (removal, context) => context.attempts.remove(removal)
  })
}

function verifiable(delivery: Pick<NewDelivery, 'endpointId' | 'receivedAt' | 'method' | 'url' | 'headers' | 'body' | 'tls' | 'source'>): VerifiableDelivery {
  const { endpointId, receivedAt, method, url, headers, body, tls, source } = delivery
  return { endpointId, receivedAt, method, url, headers, body, secure: tls !== null, source }
}

/**
 * Claims the verdict's sender delivery id for this delivery (inside the batch's transaction, so
 * two copies in one batch are still caught), or marks the verdict as a replay of the owner.
 */
function claimSenderId(replay: ReplayLog, endpointId: string, deliveryId: string, verdict: Verdict | null): Verdict | null {
  const key = replayKey(verdict)
  if (!key || !verdict) return verdict
  const owner = replay.claim(endpointId, key.scheme, key.senderId, deliveryId)
  return owner === deliveryId ? verdict : markDuplicate(verdict, owner)
}

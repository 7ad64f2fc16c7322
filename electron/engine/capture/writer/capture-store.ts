import type { Durability } from '../../../../shared/model/durability'
import type { KeyringSnapshot } from '../../verify/verify-delivery'
import type { WriteInput, WriteOpKind, WriteOutput } from './write-ops'

/**
 * The engine's side of the store's single writer (the capture worker thread, or in-process in
 * unit tests). Every write to deliveries, refused connections and the replay log goes through it.
 */
export interface CaptureStore {
  /**
   * Queues one op; ops queued in the same turn of the event loop share a batch. Resolves once the
   * batch counts as stored (durability level); rejects with a StoreWriteError if it could not be.
   */
  write<K extends WriteOpKind>(kind: K, input: WriteInput<K>, options?: WriteOptions): Promise<WriteOutput<K>>
  /** The keyring as verification must see it from now on; `now` dates the re-checks it triggers. */
  setKeyring(snapshot: KeyringSnapshot, now: number): void
  setDurability(level: Durability): void
  /** Answers everything queued, syncs the WAL and closes the writer's connection. */
  close(): Promise<void>
}

export interface WriteOptions {
  /**
   * The op's body buffers may be handed over to the writer thread (zero-copy) instead of copied:
   * only when nothing else reads them afterwards (no relay forwarding the same bytes).
   */
  transfer?: boolean
}

/** A write that did not reach the store; `code` is SQLite's (SQLITE_FULL...) or a STORE_* code. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError'
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

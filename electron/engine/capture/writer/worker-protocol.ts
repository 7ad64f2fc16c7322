import type { Durability } from '../../../../shared/model/durability'
import type { KeyringSnapshot } from '../../verify/verify-delivery'
import type { WriterOptions } from './open-writer'
import type { WriteResult } from './write-executor'
import type { WriterEvent } from './write-loop'
import type { WriteOp } from './write-ops'

/** Messages between the engine (main thread) and the capture worker. Bodies travel as Uint8Array views. */
export type ToWorker =
  /** A batch of ops; their body buffers are transferred with the message (moved, not copied). */
  | { type: 'write'; seq: number; ops: WriteOp[] }
  | { type: 'keyring'; snapshot: KeyringSnapshot; now: number }
  | { type: 'durability'; level: Durability }
  | { type: 'close' }

export type FromWorker =
  | { type: 'ready' }
  /** The worker could not open the store; it exits after this. */
  | { type: 'failed'; error: { code: string; message: string } }
  | { type: 'written'; seq: number; results: WriteResult[] }
  | { type: 'event'; event: WriterEvent }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }
  | { type: 'closed' }

export type WorkerData = WriterOptions

import type { Durability } from '../../../../shared/model/durability'
import { BODY_FILE_MIN_BYTES, type BodyFiles } from '../../store/body-files'
import type { KeyringSnapshot } from '../../verify/verify-delivery'
import { type CaptureStore, StoreWriteError, type WriteOptions } from './capture-store'
import type { WriteInput, WriteOpKind, WriteOutput } from './write-ops'

export interface BodyFileStoreDeps {
  bodyFiles: Pick<BodyFiles, 'write' | 'remove'>
  /** Whether a row keeps delivery `id`'s body file (read on another connection than the writer's). */
  keepsBodyFile: (id: string) => boolean
}

/**
 * The capture store, with large bodies (BODY_FILE_MIN_BYTES and more) written to their own file
 * first, on libuv's thread pool, and only then handed to the writer, which stores a small row
 * that names the file. The single writer never spends tens of milliseconds on one body while
 * the deliveries batched with it wait. A row never names a file that is not on disk; a file whose
 * row was not stored is removed here, or at the next start if the process dies first.
 */
export class BodyFileStore implements CaptureStore {
  constructor(
    private readonly inner: CaptureStore,
    private readonly deps: BodyFileStoreDeps
  ) {}

  write<K extends WriteOpKind>(kind: K, input: WriteInput<K>, options?: WriteOptions): Promise<WriteOutput<K>> {
    if (kind === 'delivery.insert') {
      const insert = input as WriteInput<'delivery.insert'>
      if (insert.delivery.body.byteLength >= BODY_FILE_MIN_BYTES) return this.insertWithFile(insert, options) as Promise<WriteOutput<K>>
    }
    return this.inner.write(kind, input, options)
  }

  setKeyring(snapshot: KeyringSnapshot, now: number): void {
    this.inner.setKeyring(snapshot, now)
  }

  setDurability(level: Durability): void {
    this.inner.setDurability(level)
  }

  close(): Promise<void> {
    return this.inner.close()
  }

  private async insertWithFile(insert: WriteInput<'delivery.insert'>, options?: WriteOptions): Promise<WriteOutput<'delivery.insert'>> {
    const { id, body } = insert.delivery
    try {
      await this.deps.bodyFiles.write(id, body)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new StoreWriteError(code ?? 'STORE_WRITE_FAILED', `the body of delivery ${id} could not be written: ${(error as Error).message}`)
    }
    let output: WriteOutput<'delivery.insert'>
    try {
      // The body still goes along: the writer verifies it (signatures cover it), without storing it again.
      output = await this.inner.write('delivery.insert', { ...insert, bodyInFile: true }, options)
    } catch (error) {
      // A write that failed after its commit (the WAL fsync at `fsync` level) left its row: its file stays.
      this.discardUnlessKept(id)
      throw error
    }
    // A tunnelled delivery sent again: the copy stored before keeps its own file.
    if ('repeatOf' in output) this.discardUnlessKept(id)
    return output
  }

  /** Best effort: a file left here (the store cannot be read now, say) is removed at the next start. */
  private discardUnlessKept(id: string): void {
    try {
      if (!this.deps.keepsBodyFile(id)) this.deps.bodyFiles.remove(id)
    } catch {
      // BodyFiles.removeOrphans at the next start.
    }
  }
}

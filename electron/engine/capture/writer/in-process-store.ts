import type { Logger } from '../../engine-types'
import { type CaptureStore, StoreWriteError } from './capture-store'
import { openWriter, type WriterOptions } from './open-writer'
import type { WriterEvent } from './write-loop'

/**
 * The writer on the calling thread, for unit tests of batching and durability. The engine uses
 * the worker thread (worker-store.ts); both run the same WriteLoop.
 */
export function createInProcessStore(options: WriterOptions, logger: Logger, onEvent: (event: WriterEvent) => void): CaptureStore {
  const writer = openWriter(options, logger, onEvent)
  return {
    write: (kind, input) =>
      new Promise((resolve, reject) => {
        writer.loop.submit([{ kind, input } as never], ([result]) => {
          if (result!.ok) resolve(result!.value as never)
          else reject(new StoreWriteError(result!.error.code, result!.error.message))
        })
      }),
    setKeyring: (snapshot, now) => writer.loop.setKeyring(snapshot, now),
    setDurability: (level) => writer.loop.setDurability(level),
    close: () => writer.close()
  }
}

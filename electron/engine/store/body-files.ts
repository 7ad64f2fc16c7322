import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { EngineError } from '../../../shared/errors'
import { DATA_DIR_MODE, DATA_FILE_MODE } from './data-dir-modes'

/**
 * Bodies this large are kept in a file of their own (`bodies/<delivery id>` in the data folder)
 * instead of in their row. Writing 10 MiB into SQLite costs ~60 ms of the store's single writer
 * (thousands of page-sized WAL frames, then the checkpoint copies them again); every delivery
 * batched behind it waited that long. A file is written on libuv's thread pool, before the row
 * that names it, and the writer then stores a small row.
 */
export const BODY_FILE_MIN_BYTES = 1024 * 1024

/** The folder, inside the data folder, that holds the bodies kept as files. */
export const BODY_FILES_DIR = 'bodies'

/** Delivery ids (ids.ts: Crockford base32) are safe file names; anything else never names a file. */
const FILE_NAME = /^[0-9A-Za-z_-]{1,64}$/

/**
 * The body files of one data folder. Order of events, which keeps a row from ever naming a
 * missing or partial file: the file is written, fsynced and its name fsynced into the folder
 * before its row is submitted (at both durability levels); a file is removed only once no row
 * names it (after the delete's commit). A crash between the two leaves a file no row names, which
 * `removeOrphans` deletes at the next start.
 */
export class BodyFiles {
  readonly dir: string

  constructor(dataDir: string) {
    this.dir = join(dataDir, BODY_FILES_DIR)
  }

  /** The body files of the data folder that holds this database file. */
  static beside(db: { readonly name: string }): BodyFiles {
    return new BodyFiles(dirname(db.name))
  }

  /** Writes the body of delivery `id` durably (off the calling thread). Throws the file system's error, leaving no file. */
  async write(id: string, body: Uint8Array): Promise<void> {
    const path = this.path(id)
    // Outside the clean-up below: a file that already exists is not ours to remove.
    const file = await this.create(path)
    try {
      try {
        let offset = 0
        while (offset < body.byteLength) offset += (await file.write(body, offset, body.byteLength - offset)).bytesWritten
        await file.sync()
      } finally {
        await file.close()
      }
      // The file's name is in the folder's own blocks: without this, a power cut could keep the row and lose the name.
      const folder = await open(this.dir, 'r')
      try {
        await folder.sync()
      } finally {
        await folder.close()
      }
    } catch (error) {
      rmSync(path, { force: true })
      throw error
    }
  }

  /** Creates the file exclusively (0600); the folder is made (0700) when it is missing, at first or removed since. */
  private async create(path: string): Promise<FileHandle> {
    try {
      return await open(path, 'wx', DATA_FILE_MODE)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(this.dir, { recursive: true, mode: DATA_DIR_MODE })
      return open(path, 'wx', DATA_FILE_MODE)
    }
  }

  /** The body of delivery `id`, which its row says is `bytes` long; STORE_DAMAGED if the file is missing or cut. */
  read(id: string, bytes: number): Buffer {
    const path = this.path(id)
    let body: Buffer
    try {
      body = readFileSync(path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new EngineError('STORE_DAMAGED', `the body of delivery ${id} (${bytes} bytes) cannot be read from ${this.dir}: ${code}`)
    }
    if (body.length !== bytes) {
      throw new EngineError('STORE_DAMAGED', `the body file of delivery ${id} in ${this.dir} has ${body.length} bytes, its row says ${bytes}`)
    }
    return body
  }

  /** Removes the body file of delivery `id`, if there is one. */
  remove(id: string): void {
    rmSync(this.path(id), { force: true })
  }

  /**
   * Removes the files no row names (`isStored` says which ids have a row kept as a file), and
   * anything else that is not a body file. Run at start, before anything is captured. Returns how
   * many files it removed.
   */
  removeOrphans(isStored: (id: string) => boolean): number {
    let names: string[]
    try {
      names = readdirSync(this.dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw error
    }
    let removed = 0
    for (const name of names) {
      if (FILE_NAME.test(name) && isStored(name)) continue
      rmSync(join(this.dir, name), { force: true, recursive: true })
      removed += 1
    }
    if (removed > 0) syncFolder(this.dir)
    return removed
  }

  private path(id: string): string {
    if (!FILE_NAME.test(id)) throw new EngineError('INTERNAL', `not a delivery id: ${JSON.stringify(id)}`)
    return join(this.dir, id)
  }
}

function syncFolder(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

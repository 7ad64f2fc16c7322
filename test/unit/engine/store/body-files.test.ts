import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BODY_FILES_DIR, BodyFiles } from '../../../../electron/engine/store/body-files'
import { EngineError } from '../../../../shared/errors'
import { makeTempDir } from '../../../helpers/temp-dir'

/** The body files of one data folder, alone, on a real temp folder. */

let dir: ReturnType<typeof makeTempDir>
let files: BodyFiles

beforeEach(() => {
  dir = makeTempDir()
  files = new BodyFiles(dir.path)
})
afterEach(() => {
  dir.remove()
})

const ID = '01JF8ZQ7X3M4N5P6Q7R8S9T0VW'
const fileOf = (id: string) => join(dir.path, BODY_FILES_DIR, id)

/** The EngineError `run` throws (fails the test if it throws nothing or something else). */
function thrown(run: () => unknown): EngineError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError)
    return error as EngineError
  }
  throw new Error('expected an EngineError, nothing was thrown')
}

describe('BodyFiles', () => {
  it('gives back the bytes it wrote, byte for byte, from bodies/<id>', async () => {
    // Every byte value, and a length that is no multiple of a page.
    const body = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(3 * 1024 * 1024 + 7)])
    await files.write(ID, body)
    expect(readFileSync(fileOf(ID)).equals(body)).toBe(true)
    expect(files.read(ID, body.length).equals(body)).toBe(true)
    // An empty body is a file too (the threshold decides, not this class).
    await files.write('EMPTY', Buffer.alloc(0))
    expect(files.read('EMPTY', 0).length).toBe(0)
  })

  it.skipIf(process.platform === 'win32')('keeps the file for its owner only (0600) in a folder for its owner only (0700)', async () => {
    await files.write(ID, Buffer.from('secret payload'))
    expect(statSync(fileOf(ID)).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir.path, BODY_FILES_DIR)).mode & 0o777).toBe(0o700)
  })

  it('never writes over an existing file (exclusive create), and leaves that file as it was', async () => {
    await files.write(ID, Buffer.from('first'))
    await expect(files.write(ID, Buffer.from('second, longer'))).rejects.toMatchObject({ code: 'EEXIST' })
    expect(files.read(ID, 5).toString()).toBe('first')
  })

  it('makes the folder again when it was removed while running (0700), and writes on', async () => {
    await files.write(ID, Buffer.from('first'))
    rmSync(join(dir.path, BODY_FILES_DIR), { recursive: true })
    await files.write('SECOND', Buffer.from('second'))
    expect(files.read('SECOND', 6).toString()).toBe('second')
    if (process.platform !== 'win32') expect(statSync(join(dir.path, BODY_FILES_DIR)).mode & 0o777).toBe(0o700)
  })

  it('says STORE_DAMAGED, naming the delivery, for a missing file and for a cut one', async () => {
    const missing = thrown(() => files.read(ID, 10))
    expect(missing.code).toBe('STORE_DAMAGED')
    expect(missing.message).toContain(ID)
    expect(missing.message).toContain('ENOENT')

    const body = randomBytes(4096)
    await files.write(ID, body)
    truncateSync(fileOf(ID), 4000)
    const cut = thrown(() => files.read(ID, body.length))
    expect(cut.code).toBe('STORE_DAMAGED')
    expect(cut.message).toContain(ID)
    expect(cut.message).toContain('4000')
    // A file longer than its row says is no body either.
    writeFileSync(fileOf(ID), Buffer.concat([body, Buffer.from('x')]))
    expect(thrown(() => files.read(ID, body.length)).code).toBe('STORE_DAMAGED')
  })

  it('removes a file, and removing one that is not there is no error', async () => {
    await files.write(ID, Buffer.from('x'))
    files.remove(ID)
    expect(existsSync(fileOf(ID))).toBe(false)
    expect(() => files.remove(ID)).not.toThrow()
  })

  it('removeOrphans keeps the files rows name and removes the rest, non-id names and folders included', async () => {
    expect(files.removeOrphans(() => true)).toBe(0) // no folder yet
    await files.write('KEPT1', Buffer.from('a'))
    await files.write('KEPT2', Buffer.from('b'))
    await files.write('ORPHAN', Buffer.from('c'))
    const bodies = join(dir.path, BODY_FILES_DIR)
    writeFileSync(join(bodies, 'notes.txt'), 'stray')
    writeFileSync(join(bodies, 'KEPT1.tmp'), 'stray')
    mkdirSync(join(bodies, 'sub'))
    writeFileSync(join(bodies, 'sub', 'KEPT2'), 'stray')
    const asked: string[] = []
    const removed = files.removeOrphans((id) => {
      asked.push(id)
      return id === 'KEPT1' || id === 'KEPT2'
    })
    expect(readdirSync(bodies).sort()).toEqual(['KEPT1', 'KEPT2'])
    expect(removed).toBe(4)
    // A name that is no delivery id is removed without asking the store.
    expect(asked.sort()).toEqual(['KEPT1', 'KEPT2', 'ORPHAN', 'sub'])
    expect(files.read('KEPT1', 1).toString()).toBe('a')
    expect(files.read('KEPT2', 1).toString()).toBe('b')
  })

  it('refuses an id that is no delivery id (path separators, "..", empty): nothing outside bodies/ is written, read or removed', async () => {
    await files.write(ID, Buffer.from('x')) // the folder exists, so "../name" would reach the data folder
    const outside = join(dir.path, 'outside')
    writeFileSync(outside, 'must stay')
    for (const id of ['../outside', '../new', '..', 'a/b', 'a\\b', '', '.', 'x'.repeat(65)]) {
      await expect(files.write(id, Buffer.from('x')), id).rejects.toMatchObject({ code: 'INTERNAL' })
      // Not STORE_DAMAGED: a bad name is a bug of the caller, not damage to the store.
      expect(thrown(() => files.read(id, 'must stay'.length)).code, id).toBe('INTERNAL')
      expect(thrown(() => files.remove(id)).code, id).toBe('INTERNAL')
    }
    expect(readFileSync(outside, 'utf8')).toBe('must stay')
    expect(existsSync(join(dir.path, 'new'))).toBe(false)
  })
})

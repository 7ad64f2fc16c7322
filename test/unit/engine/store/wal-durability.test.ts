import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WalDurability } from '../../../../electron/engine/store/durability'
import { DATABASE_FILE, openDatabase, type SqliteDatabase } from '../../../../electron/engine/store/open-database'
import { makeTempDir } from '../../../helpers/temp-dir'

/** When a committed batch counts as stored, per durability level, on a real WAL file. */

let dir: ReturnType<typeof makeTempDir>
let db: SqliteDatabase

beforeEach(() => {
  dir = makeTempDir()
  db = openDatabase(dir.path)
  db.pragma('synchronous = NORMAL')
  db.exec(`INSERT INTO hookscope_meta (key, value) VALUES ('probe', 'x')`)
})
afterEach(() => {
  db.close()
  dir.remove()
})

const wal = () => join(dir.path, `${DATABASE_FILE}-wal`)

describe('WAL durability', () => {
  it('fsync: a commit counts once the WAL is fsynced (a promise), and an fsync error reaches the caller', async () => {
    const failures: unknown[] = []
    const durability = new WalDurability(wal(), 'fsync', (error) => failures.push(error))
    const waited = durability.afterCommit()
    expect(waited).toBeInstanceOf(Promise)
    await expect(waited).resolves.toBeUndefined()
    await durability.close()

    const broken = new WalDurability(join(dir.path, 'no-such-wal'), 'fsync', (error) => failures.push(error))
    await expect(broken.afterCommit()).rejects.toMatchObject({ code: 'ENOENT' })
    await broken.close()
    expect(failures).toEqual([])
  })

  it('crash: a commit counts at once; the WAL is synced in the background, and close() waits for that sync', async () => {
    const failures: unknown[] = []
    // A WAL path that cannot be opened makes the background sync observable: it reports a failure.
    const durability = new WalDurability(join(dir.path, 'no-such-wal'), 'crash', (error) => failures.push(error))
    expect(durability.afterCommit()).toBeNull()
    expect(durability.afterCommit()).toBeNull()
    expect(failures).toEqual([])
    await durability.close()
    expect(failures).toEqual([expect.objectContaining({ code: 'ENOENT' })])
  })

  it('crash: nothing committed, nothing to sync at close', async () => {
    const failures: unknown[] = []
    const durability = new WalDurability(join(dir.path, 'no-such-wal'), 'crash', (error) => failures.push(error))
    await durability.close()
    expect(failures).toEqual([])
  })

  it('switches level on the fly', async () => {
    const durability = new WalDurability(wal(), 'crash', () => undefined)
    expect(durability.afterCommit()).toBeNull()
    durability.setLevel('fsync')
    expect(durability.level).toBe('fsync')
    await expect(durability.afterCommit()).resolves.toBeUndefined()
    await durability.close()
  })
})

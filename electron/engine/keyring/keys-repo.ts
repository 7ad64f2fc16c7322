import type { Statement } from 'better-sqlite3'
import type { KeyMaterialField, KeyStatus, KeySummary } from '../../../shared/model/keyring'
import type { SqliteDatabase } from '../store/open-database'

interface KeyRowColumns {
  id: string
  name: string
  scheme: string
  key_id: string | null
  grp: string
  status: KeyStatus
  created_at: number
  activated_at: number | null
  deleted_at: number | null
  endpoint_ids: string
  path_prefixes: string
  notes: string
  options: string
  fields: string
  material: Buffer
}

/** A stored key: metadata in clear, material as the sealed box (see key-material.ts). */
export interface StoredKey {
  summary: KeySummary
  sealed: Buffer
}

const COLUMNS = `id, name, scheme, key_id, grp, status, created_at, activated_at, deleted_at,
  endpoint_ids, path_prefixes, notes, options, fields, material`

/** SQL for the `keys` table. Knows nothing about crypto: it stores the sealed box it is given. */
export class KeysRepo {
  private readonly selectAll: Statement
  private readonly selectOne: Statement
  private readonly selectIds: Statement
  private readonly selectActiveInGroup: Statement
  private readonly insertStatement: Statement
  private readonly updateMetadataStatement: Statement
  private readonly updateMaterialStatement: Statement
  private readonly deleteStatement: Statement

  constructor(db: SqliteDatabase) {
    this.selectAll = db.prepare(`SELECT ${COLUMNS} FROM keys ORDER BY created_at, id`)
    this.selectOne = db.prepare(`SELECT ${COLUMNS} FROM keys WHERE id = ?`)
    this.selectIds = db.prepare(`SELECT id FROM keys`).pluck()
    this.selectActiveInGroup = db.prepare(`SELECT ${COLUMNS} FROM keys WHERE grp = ? AND status = 'ACTIVE' AND id != ?`)
    this.insertStatement = db.prepare(`INSERT INTO keys (${COLUMNS}) VALUES (@id, @name, @scheme, @keyId, @group, @status,
      @createdAt, @activatedAt, @deletedAt, @endpointIds, @pathPrefixes, @notes, @options, @fields, @material)`)
    this.updateMetadataStatement = db.prepare(`UPDATE keys SET name = @name, key_id = @keyId, grp = @group, status = @status,
      activated_at = @activatedAt, deleted_at = @deletedAt, endpoint_ids = @endpointIds, path_prefixes = @pathPrefixes,
      notes = @notes, options = @options, fields = @fields WHERE id = @id`)
    this.updateMaterialStatement = db.prepare(`UPDATE keys SET fields = ?, material = ? WHERE id = ?`)
    this.deleteStatement = db.prepare(`DELETE FROM keys WHERE id = ?`)
  }

  list(): StoredKey[] {
    return (this.selectAll.all() as KeyRowColumns[]).map(toStored)
  }

  get(id: string): StoredKey | undefined {
    const row = this.selectOne.get(id) as KeyRowColumns | undefined
    return row && toStored(row)
  }

  ids(): Set<string> {
    return new Set(this.selectIds.all() as string[])
  }

  /** The group's ACTIVE keys other than `exceptId` (normally at most one; imports may leave more). */
  activeInGroup(group: string, exceptId: string): KeySummary[] {
    return (this.selectActiveInGroup.all(group, exceptId) as KeyRowColumns[]).map((row) => toStored(row).summary)
  }

  insert(summary: KeySummary, sealed: Buffer): void {
    this.insertStatement.run({ ...toParams(summary), material: sealed })
  }

  /** Everything but the material and the immutable columns (id, scheme, created_at). */
  updateMetadata(summary: KeySummary): void {
    this.updateMetadataStatement.run(toParams(summary))
  }

  updateMaterial(id: string, fields: KeyMaterialField[], sealed: Buffer): void {
    this.updateMaterialStatement.run(JSON.stringify(fields), sealed, id)
  }

  delete(id: string): boolean {
    return this.deleteStatement.run(id).changes > 0
  }
}

function toParams(summary: KeySummary) {
  return {
    id: summary.id,
    name: summary.name,
    scheme: summary.scheme,
    keyId: summary.keyId,
    group: summary.group,
    status: summary.status,
    createdAt: summary.createdAt,
    activatedAt: summary.activatedAt,
    deletedAt: summary.deletedAt,
    endpointIds: JSON.stringify(summary.endpointIds),
    pathPrefixes: JSON.stringify(summary.pathPrefixes),
    notes: summary.notes,
    options: JSON.stringify(summary.options),
    fields: JSON.stringify(summary.fields)
  }
}

function toStored(row: KeyRowColumns): StoredKey {
  return {
    summary: {
      id: row.id,
      name: row.name,
      scheme: row.scheme,
      keyId: row.key_id,
      group: row.grp,
      status: row.status,
      createdAt: row.created_at,
      activatedAt: row.activated_at,
      deletedAt: row.deleted_at,
      endpointIds: JSON.parse(row.endpoint_ids) as string[],
      pathPrefixes: JSON.parse(row.path_prefixes) as string[],
      notes: row.notes,
      options: JSON.parse(row.options) as Record<string, unknown>,
      fields: JSON.parse(row.fields) as KeyMaterialField[]
    },
    sealed: row.material
  }
}

import { DEFAULT_DURABILITY, DURABILITY_LEVELS, type Durability } from '../../../shared/model/durability'
import type { SqliteDatabase } from './open-database'

/** Settings that belong to a data folder (not to one machine or one window), in hookscope_meta. */
export class StoreSettings {
  constructor(private readonly db: SqliteDatabase) {}

  durability(): Durability {
    const row = this.db.prepare(`SELECT value FROM hookscope_meta WHERE key = 'durability'`).get() as { value: string } | undefined
    return DURABILITY_LEVELS.find((level) => level === row?.value) ?? DEFAULT_DURABILITY
  }

  setDurability(level: Durability): void {
    this.db.prepare(`INSERT INTO hookscope_meta (key, value) VALUES ('durability', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(level)
  }
}

import { randomFillSync } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import type { VaultState, VaultStatus } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import type { Clock, KeyProtector, Logger } from '../engine-types'
import type { SqliteDatabase } from '../store/open-database'
import { AES_KEY_BYTES, openGcm, sealGcm } from './aes-gcm'
import { deriveKek, newScryptParams, parseScryptParams } from './passphrase-kdf'

type WrapKind = 'os' | 'passphrase'
const WRAP_KINDS: readonly WrapKind[] = ['os', 'passphrase']

interface WrapRow {
  kind: string
  wrapped: Buffer
  params: string
}

/** AAD of each wrap: binds the wrap to its kind and its stored params, so neither can be swapped or edited. */
function wrapAad(kind: WrapKind, params: string): Buffer {
  return Buffer.from(`hookscope-vault-v1|${kind}|${params}`, 'utf8')
}

/**
 * safeStorage is not authenticated everywhere (Chromium uses AES-CBC on macOS and Linux), so a
 * wrong OS key could hand back plausible bytes. A GCM box of nothing under the data key, stored
 * with the os wrap, tells a right data key from a wrong one.
 */
const OS_CHECK_AAD = Buffer.from('hookscope-vault-v1|os-check', 'utf8')

/**
 * The data key and its wraps. The data key (32 random bytes) encrypts every key's material; it is
 * stored only wrapped — once per protection, any one of which unlocks it — and lives in memory,
 * unwrapped, only while the vault is unlocked.
 */
export class Vault {
  private dataKey: Buffer | null = null
  private readonly selectWraps: Statement
  private readonly upsertWrap: Statement

  private wrapCache: WrapRow[] | null = null

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly osProtector?: KeyProtector
  ) {
    this.selectWraps = db.prepare(`SELECT kind, wrapped, params FROM vault_wraps`)
    this.upsertWrap = db.prepare(`INSERT INTO vault_wraps (kind, wrapped, params, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind) DO UPDATE SET wrapped = excluded.wrapped, params = excluded.params, created_at = excluded.created_at`)
  }

  state(): VaultState {
    if (this.dataKey) return 'unlocked'
    return this.wraps().length === 0 ? 'uninitialized' : 'locked'
  }

  status(): VaultStatus {
    const kinds = new Set(this.wraps().map((row) => row.kind))
    return { state: this.state(), protections: WRAP_KINDS.filter((kind) => kinds.has(kind)) }
  }

  /** The data key, or VAULT_LOCKED with a sentence saying what to do. Callers must not keep it. */
  key(): Buffer {
    if (this.dataKey) return this.dataKey
    if (this.wraps().length === 0) {
      throw new EngineError('VAULT_LOCKED', 'the keyring is not set up yet: set a passphrase first')
    }
    throw new EngineError('VAULT_LOCKED', 'the keyring is locked: unlock it first')
  }

  /** True when the data key is in memory afterwards. Never throws for keychain trouble: logs and returns false. */
  unlockWithOs(): boolean {
    if (this.dataKey) return true
    const protector = this.osProtector
    if (!protector) return false
    const wraps = this.wraps()
    if (wraps.length === 0) {
      const key = newDataKey()
      try {
        this.db
          .transaction(() => {
            // Someone (another engine on this folder is prevented by the data-dir lock, but be exact)
            // may have initialized the vault meanwhile: then do nothing.
            if (this.wraps(true).length > 0) throw new Error('initialized concurrently')
            this.writeOsWrap(protector, key)
          })
          .immediate()
      } catch (error) {
        key.fill(0)
        this.logger.warn('keyring: could not protect a new data key with the OS keychain', { error: describe(error) })
        return false
      }
      this.dataKey = key
      this.logger.info('keyring: created a new keyring protected by the OS keychain')
      return true
    }
    const row = wraps.find((wrap) => wrap.kind === 'os')
    if (!row) return false
    let candidate: Buffer | null = null
    try {
      candidate = protector.unprotect(row.wrapped)
      if (candidate.length !== AES_KEY_BYTES) throw new Error('unexpected data key length')
      const params = JSON.parse(row.params) as { check?: unknown }
      if (typeof params.check !== 'string') throw new Error('os wrap has no check value')
      openGcm(candidate, Buffer.from(params.check, 'base64'), OS_CHECK_AAD)
    } catch (error) {
      candidate?.fill(0)
      this.logger.warn('keyring: the OS keychain could not unlock the keyring', { error: describe(error) })
      return false
    }
    this.dataKey = Buffer.alloc(AES_KEY_BYTES)
    candidate.copy(this.dataKey)
    candidate.fill(0)
    this.logger.info('keyring: unlocked with the OS keychain')
    return true
  }

  unlock(passphrase: string): void {
    const row = this.wraps().find((wrap) => wrap.kind === 'passphrase')
    if (!row) {
      throw new EngineError(
        'BAD_INPUT',
        this.wraps().length === 0
          ? 'the keyring has no passphrase yet: set one first'
          : 'this keyring is protected by the OS keychain only and has no passphrase'
      )
    }
    const params = parseScryptParams(safeJson(row.params))
    if (!params) throw new EngineError('BAD_PASSPHRASE', 'wrong passphrase')
    const kek = deriveKek(passphrase, params)
    let key: Buffer
    try {
      key = openGcm(kek, row.wrapped, wrapAad('passphrase', row.params))
    } catch {
      // Wrong passphrase and a damaged wrap look the same to GCM; the first is what users hit.
      throw new EngineError('BAD_PASSPHRASE', 'wrong passphrase')
    } finally {
      kek.fill(0)
    }
    if (key.length !== AES_KEY_BYTES) {
      key.fill(0)
      throw new EngineError('BAD_PASSPHRASE', 'wrong passphrase')
    }
    this.dataKey?.fill(0)
    this.dataKey = key
    this.logger.info('keyring: unlocked with the passphrase')
  }

  /** Creates the vault (uninitialized) or rewraps the current data key (unlocked). */
  setPassphrase(passphrase: string): void {
    if (passphrase.length < 8) throw new EngineError('BAD_INPUT', 'passphrase: at least 8 characters')
    const state = this.state()
    if (state === 'locked') throw new EngineError('VAULT_LOCKED', 'the keyring is locked: unlock it before changing its passphrase')
    const key = this.dataKey ?? newDataKey()
    const scrypt = newScryptParams()
    const params = JSON.stringify(scrypt)
    const kek = deriveKek(passphrase, scrypt)
    let wrapped: Buffer
    try {
      wrapped = sealGcm(kek, key, wrapAad('passphrase', params))
    } finally {
      kek.fill(0)
    }
    try {
      this.db
        .transaction(() => {
          if (state === 'uninitialized' && this.wraps(true).length > 0) {
            throw new EngineError('CONFLICT', 'the keyring was set up meanwhile: unlock it instead')
          }
          this.upsertWrap.run('passphrase', wrapped, params, this.clock.now())
          this.wrapCache = null
        })
        .immediate()
    } catch (error) {
      if (key !== this.dataKey) key.fill(0)
      throw error
    }
    this.dataKey = key
    this.logger.info(state === 'uninitialized' ? 'keyring: created a new passphrase-protected keyring' : 'keyring: passphrase changed')
  }

  /** Forgets the data key. The buffer is zeroed, not just dropped, so it does not linger in the heap. */
  lock(): boolean {
    if (!this.dataKey) return false
    this.dataKey.fill(0)
    this.dataKey = null
    this.logger.info('keyring: locked')
    return true
  }

  private writeOsWrap(protector: KeyProtector, key: Buffer): void {
    const check = sealGcm(key, Buffer.alloc(0), OS_CHECK_AAD).toString('base64')
    const params = JSON.stringify({ v: 1, check })
    this.upsertWrap.run('os', protector.protect(key), params, this.clock.now())
    this.wrapCache = null
  }

  /**
   * Wraps change only through this object (the data-folder lock keeps other engines out), so they
   * are cached: state() runs on the capture path for every delivery. `fresh` re-reads inside the
   * transactions that create the vault.
   */
  private wraps(fresh = false): WrapRow[] {
    if (fresh || !this.wrapCache) this.wrapCache = this.selectWraps.all() as WrapRow[]
    return this.wrapCache
  }
}

/** Allocated (not pooled) so zeroing it wipes exactly these bytes and nothing else shares them. */
function newDataKey(): Buffer {
  const key = Buffer.alloc(AES_KEY_BYTES)
  randomFillSync(key)
  return key
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/** Error text for logs: keychain and crypto errors never carry the secrets they failed on. */
function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200)
}

import type { KeyImportResult, VaultStatus } from '../../../shared/api/contract'
import type { KeyringFileEntry } from '../../../shared/api/keyring-file'
import { EngineError } from '../../../shared/errors'
import type { KeyEntry, KeyMaterial, KeySummary } from '../../../shared/model/keyring'
import type { SqliteDatabase } from '../store/open-database'
import { openGcm, sealGcm } from './aes-gcm'
import { materialFields, normalizeMaterial, openMaterial, sealMaterial } from './key-material'
import { newKeyRowId } from './key-row-id'
import { openBundle, sealBundle } from './keyring-bundle'
import { materialOfEntry, parseKeyringFile, toFileEntry } from './keyring-file-entries'
import type { CreateKeyInput, KeyringDeps, UpdateKeyPatch } from './keyring-types'
import { KeysRepo, type StoredKey } from './keys-repo'
import { Vault } from './vault'

const MAX_NAME = 120
const NO_KEYS: KeyEntry[] = Object.freeze([]) as unknown as KeyEntry[]

/**
 * The keyring: key metadata in clear (so lists work while locked), key material sealed under the
 * vault's data key. Secrets leave this class only through `reveal`, `entries` (for verification)
 * and the encrypted bundle; never through errors, logs, summaries or events.
 */
export class Keyring {
  private readonly vault: Vault
  private readonly repo: KeysRepo
  /** Decrypted keys for verification (the hot path); rebuilt lazily after any change. */
  private cache: KeyEntry[] | null = null

  constructor(
    private readonly db: SqliteDatabase,
    private readonly deps: KeyringDeps
  ) {
    this.vault = new Vault(db, deps.clock, deps.logger, deps.osProtector)
    this.repo = new KeysRepo(db)
  }

  status(): VaultStatus {
    return this.vault.status()
  }

  /** Engine start (desktop): unlock with the OS keychain, or set the vault up with it when it is new. */
  unlockWithOs(): boolean {
    const wasUnlocked = this.vault.state() === 'unlocked'
    const unlocked = this.vault.unlockWithOs()
    if (unlocked && !wasUnlocked) this.changed()
    return unlocked
  }

  unlock(passphrase: string): VaultStatus {
    this.vault.unlock(passphrase)
    this.changed()
    return this.status()
  }

  setPassphrase(passphrase: string): VaultStatus {
    this.vault.setPassphrase(passphrase)
    this.changed()
    return this.status()
  }

  /** Engine stop: forget (and zero) the data key and drop every decrypted secret we hold. */
  /**
   * Encrypts another secret of the engine's (the local CA's private key...) under the data key.
   * `context` is bound in as associated data, so a sealed blob only opens for the purpose it was
   * sealed for. Throws VAULT_LOCKED while locked.
   */
  seal(plaintext: Buffer, context: string): Buffer {
    return sealGcm(this.vault.key(), plaintext, Buffer.from(`hookscope:${context}`))
  }

  unseal(sealed: Buffer, context: string): Buffer {
    try {
      return openGcm(this.vault.key(), sealed, Buffer.from(`hookscope:${context}`))
    } catch (error) {
      if (error instanceof EngineError) throw error
      throw new EngineError('INTERNAL', `a sealed ${context} could not be opened with this keyring's data key`)
    }
  }

  lock(): void {
    const wasUnlocked = this.vault.lock()
    this.cache = null
    if (wasUnlocked) this.deps.emit({ type: 'keys.changed' })
  }

  list(): KeySummary[] {
    return this.repo.list().map((stored) => stored.summary)
  }

  create(input: CreateKeyInput): KeySummary {
    const dataKey = this.vault.key()
    const name = checkName(input.name)
    const material = normalizeMaterial(input.material)
    const options = input.options ?? {}
    const keyId = input.keyId ?? null
    this.requireFit(input.scheme, material, options, keyId)
    const status = input.status ?? 'ACTIVE'
    let summary!: KeySummary
    this.db
      .transaction(() => {
        const now = this.deps.clock.now()
        const id = this.freshId(this.repo.ids())
        summary = {
          id,
          name,
          scheme: input.scheme,
          keyId,
          group: input.group ?? input.scheme,
          status,
          createdAt: now,
          activatedAt: status === 'ACTIVE' ? now : null,
          deletedAt: null,
          endpointIds: input.endpointIds ?? [],
          pathPrefixes: input.pathPrefixes ?? [],
          notes: input.notes ?? '',
          options,
          fields: materialFields(material)
        }
        // Same rule as activate(): the new ACTIVE key retires the group's current one.
        if (status === 'ACTIVE') this.retireActive(summary.group, id, now)
        this.repo.insert(summary, sealMaterial(dataKey, id, material))
      })
      .immediate()
    this.deps.logger.info('keyring: key created', { id: summary.id, scheme: summary.scheme, status })
    this.changed()
    return summary
  }

  /**
   * Name, group, bindings and notes can change while locked. Material, keyId and options need the
   * vault unlocked: the scheme judges them together with the material (checkKey).
   */
  update(id: string, patch: UpdateKeyPatch): KeySummary {
    let next!: KeySummary
    this.db
      .transaction(() => {
        const stored = this.requireKey(id)
        const current = stored.summary
        next = {
          ...current,
          name: patch.name !== undefined ? checkName(patch.name) : current.name,
          keyId: patch.keyId ?? current.keyId,
          group: patch.group ?? current.group,
          endpointIds: patch.endpointIds ?? current.endpointIds,
          pathPrefixes: patch.pathPrefixes ?? current.pathPrefixes,
          notes: patch.notes ?? current.notes,
          options: patch.options ?? current.options
        }
        let sealed: Buffer | undefined
        if (patch.material !== undefined || patch.keyId !== undefined || patch.options !== undefined) {
          const dataKey = this.vault.key()
          const material = patch.material !== undefined ? normalizeMaterial(patch.material) : this.open(dataKey, stored)
          this.requireFit(current.scheme, material, next.options, next.keyId)
          if (patch.material !== undefined) {
            sealed = sealMaterial(dataKey, id, material)
            next.fields = materialFields(material)
          }
        }
        if (next.status === 'ACTIVE' && next.group !== current.group && this.repo.activeInGroup(next.group, id).length > 0) {
          throw new EngineError('CONFLICT', `group "${next.group}" already has an ACTIVE key; moving this ACTIVE key there would leave two`)
        }
        this.repo.updateMetadata(next)
        if (sealed) this.repo.updateMaterial(id, next.fields, sealed)
      })
      .immediate()
    this.changed()
    return next
  }

  /** INACTIVE → ACTIVE; the group's previous ACTIVE key becomes DELETED. Returns what changed. */
  activate(id: string): KeySummary[] {
    const changed: KeySummary[] = []
    this.db
      .transaction(() => {
        const current = this.requireKey(id).summary
        if (current.status === 'DELETED') throw new EngineError('CONFLICT', 'a DELETED key can never be reactivated')
        if (current.status === 'ACTIVE') return
        const now = this.deps.clock.now()
        const activated: KeySummary = { ...current, status: 'ACTIVE', activatedAt: now }
        this.repo.updateMetadata(activated)
        changed.push(activated, ...this.retireActive(current.group, id, now))
      })
      .immediate()
    if (changed.length > 0) {
      this.deps.logger.info('keyring: key activated', { id, retired: changed.slice(1).map((key) => key.id) })
      this.changed()
    }
    return changed
  }

  /** Marks DELETED but keeps the material: verification can still say "signed with a DELETED key". */
  delete(id: string): KeySummary {
    const current = this.requireKey(id).summary
    if (current.status === 'DELETED') return current
    const deleted: KeySummary = { ...current, status: 'DELETED', deletedAt: this.deps.clock.now() }
    this.repo.updateMetadata(deleted)
    this.changed()
    return deleted
  }

  /** Purges the row, material and all. */
  remove(id: string): boolean {
    const removed = this.repo.delete(id)
    if (removed) {
      this.deps.logger.info('keyring: key removed', { id })
      this.changed()
    }
    return removed
  }

  reveal(id: string): KeyMaterial {
    const dataKey = this.vault.key()
    const material = this.open(dataKey, this.requireKey(id))
    // An audit line (never the material itself): revealing is the one deliberate way out.
    this.deps.logger.info('keyring: key material revealed', { id })
    return material
  }

  /**
   * Every key with its material, for verification. Locked (or never set up): no keys. A row whose
   * box does not open (damaged, or copied from another row) is left out and logged, so one bad
   * row cannot take verification down or, worse, verify with the wrong secret.
   */
  entries(): { locked: boolean; keys: KeyEntry[] } {
    const state = this.vault.state()
    if (state !== 'unlocked') return { locked: state === 'locked', keys: NO_KEYS }
    if (!this.cache) {
      const dataKey = this.vault.key()
      const keys: KeyEntry[] = []
      for (const stored of this.repo.list()) {
        try {
          keys.push(deepFreeze({ ...stored.summary, material: openMaterial(dataKey, stored.summary.id, stored.sealed) }))
        } catch {
          this.deps.logger.warn('keyring: key material cannot be decrypted; the key is unusable', { id: stored.summary.id })
        }
      }
      this.cache = Object.freeze(keys) as KeyEntry[]
    }
    return { locked: false, keys: this.cache }
  }

  importKeyring(file: unknown): KeyImportResult {
    const dataKey = this.vault.key()
    return this.importEntries(dataKey, parseKeyringFile(file, 'keyring file').keys)
  }

  importBundle(bundle: string, passphrase: string): KeyImportResult {
    const dataKey = this.vault.key()
    const plaintext = openBundle(bundle, passphrase)
    let content: unknown
    try {
      content = JSON.parse(plaintext.toString('utf8'))
    } catch {
      throw new EngineError('BAD_INPUT', 'keyring bundle: the decrypted content is not JSON')
    } finally {
      plaintext.fill(0)
    }
    return this.importEntries(dataKey, parseKeyringFile(content, 'keyring bundle').keys)
  }

  /** All keys, material and metadata, as an encrypted bundle (times are not part of the file format). */
  exportBundle(passphrase: string): string {
    if (passphrase.length < 8) throw new EngineError('BAD_INPUT', 'passphrase: at least 8 characters')
    const dataKey = this.vault.key()
    const entries: KeyringFileEntry[] = []
    const unreadable: string[] = []
    for (const stored of this.repo.list()) {
      try {
        entries.push(toFileEntry(stored.summary, openMaterial(dataKey, stored.summary.id, stored.sealed)))
      } catch {
        unreadable.push(stored.summary.id)
      }
    }
    // A backup that silently drops keys is worse than no backup: refuse and say which.
    if (unreadable.length > 0) {
      throw new EngineError(
        'INTERNAL',
        `cannot export: the material of ${unreadable.slice(0, 10).join(', ')} cannot be decrypted (remove ${unreadable.length === 1 ? 'that key' : 'those keys'} first)`
      )
    }
    const plaintext = Buffer.from(JSON.stringify({ keys: entries }), 'utf8')
    try {
      const bundle = sealBundle(plaintext, passphrase)
      this.deps.logger.info('keyring: exported an encrypted bundle', { keys: entries.length })
      return bundle
    } finally {
      plaintext.fill(0)
    }
  }

  /**
   * Entries that fit are imported in one transaction; the others are reported by index. Statuses
   * from the file are kept as they are (a file describes a finished state, not a rotation).
   */
  private importEntries(dataKey: Buffer, entries: KeyringFileEntry[]): KeyImportResult {
    const skipped: KeyImportResult['skipped'] = []
    let imported = 0
    this.db
      .transaction(() => {
        const existing = this.repo.ids()
        // Ids named anywhere in the file are off limits for generated ids.
        const taken = new Set([...existing, ...entries.flatMap((entry) => (entry.id ? [entry.id] : []))])
        const accepted = new Set<string>()
        const now = this.deps.clock.now()
        for (const [index, entry] of entries.entries()) {
          if (entry.id !== undefined && existing.has(entry.id)) {
            skipped.push({ index, reason: 'id already in the keyring' })
            continue
          }
          if (entry.id !== undefined && accepted.has(entry.id)) {
            skipped.push({ index, reason: 'id appears earlier in the file' })
            continue
          }
          const material = materialOfEntry(entry)
          const options = entry.options ?? {}
          const keyId = entry.keyId ?? null
          const reason = this.misfit(entry.scheme, material, options, keyId)
          if (reason) {
            skipped.push({ index, reason })
            continue
          }
          const id = entry.id ?? this.freshId(taken)
          taken.add(id)
          accepted.add(id)
          const status = entry.status ?? 'ACTIVE'
          const summary: KeySummary = {
            id,
            name: (entry.name ?? entry.keyId ?? entry.id ?? `${entry.scheme} key`).slice(0, MAX_NAME),
            scheme: entry.scheme,
            keyId,
            group: entry.group ?? entry.scheme,
            status,
            createdAt: now,
            activatedAt: status === 'ACTIVE' ? now : null,
            deletedAt: status === 'DELETED' ? now : null,
            endpointIds: entry.endpointIds ?? [],
            pathPrefixes: entry.pathPrefixes ?? [],
            notes: entry.notes ?? '',
            options,
            fields: materialFields(material)
          }
          this.repo.insert(summary, sealMaterial(dataKey, id, material))
          imported++
        }
      })
      .immediate()
    this.deps.logger.info('keyring: import finished', { imported, skipped: skipped.length })
    if (imported > 0) this.changed()
    return { imported, skipped }
  }

  /** The group's other ACTIVE keys become DELETED (call inside a transaction). */
  private retireActive(group: string, exceptId: string, now: number): KeySummary[] {
    return this.repo.activeInGroup(group, exceptId).map((key) => {
      const retired: KeySummary = { ...key, status: 'DELETED', deletedAt: now }
      this.repo.updateMetadata(retired)
      return retired
    })
  }

  /** Why the scheme refuses this key, or null. The sentence comes from the scheme and names no secret. */
  private misfit(scheme: string, material: KeyMaterial, options: Record<string, unknown>, keyId: string | null): string | null {
    if (materialFields(material).length === 0) {
      return 'a key needs key material (secret, publicKey, privateKey, certificate or jwks)'
    }
    return this.deps.checkKey(scheme, material, options, keyId)
  }

  private requireFit(scheme: string, material: KeyMaterial, options: Record<string, unknown>, keyId: string | null): void {
    const reason = this.misfit(scheme, material, options, keyId)
    if (reason) throw new EngineError('BAD_INPUT', reason)
  }

  private requireKey(id: string): StoredKey {
    const stored = this.repo.get(id)
    if (!stored) throw new EngineError('NOT_FOUND', `no key with id "${id.slice(0, 64)}"`)
    return stored
  }

  private open(dataKey: Buffer, stored: StoredKey): KeyMaterial {
    try {
      return openMaterial(dataKey, stored.summary.id, stored.sealed)
    } catch {
      this.deps.logger.warn('keyring: key material cannot be decrypted', { id: stored.summary.id })
      throw new EngineError('INTERNAL', `the material of key "${stored.summary.id}" cannot be decrypted: the store was damaged or edited`)
    }
  }

  private freshId(taken: Set<string>): string {
    let id = newKeyRowId()
    while (taken.has(id)) id = newKeyRowId()
    return id
  }

  private changed(): void {
    this.cache = null
    this.deps.emit({ type: 'keys.changed' })
  }
}

function checkName(name: string): string {
  const trimmed = name.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) throw new EngineError('BAD_INPUT', `name: 1 to ${MAX_NAME} characters`)
  return trimmed
}

/** Cached entries are shared by every verification: freeze them so none can alter another's view. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

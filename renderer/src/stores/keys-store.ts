import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent, EngineParams, KeyImportResult, SchemeInfo, VaultStatus } from '../../../shared/api/contract'
import type { KeyMaterial, KeySummary } from '../../../shared/model/keyring'
import { describeError } from '../api/describe-error'
import type { LoadStatus } from './deliveries-store'
import { attempt, type Outcome } from './outcome'

export type NewKey = EngineParams<'keys.create'>

export interface KeysState {
  /** Null until the first load answered. */
  vault: VaultStatus | null
  /** Metadata only (it is readable while the vault is locked); never key material. */
  keys: readonly KeySummary[]
  /** The engine's verification schemes, for the add-key form and for labels. */
  schemes: readonly SchemeInfo[]
  loadStatus: LoadStatus
  loadError: string | null
  /** The last failed row action (activate, delete, remove), shown until dismissed or replaced. */
  actionError: string | null
  /** Keys with an action in flight, so their buttons can be disabled. */
  busyIds: Readonly<Record<string, true>>

  load(): Promise<void>
  unlock(passphrase: string): Promise<Outcome<VaultStatus>>
  setPassphrase(passphrase: string): Promise<Outcome<VaultStatus>>
  create(input: NewKey): Promise<Outcome<KeySummary>>
  activate(id: string): Promise<void>
  /** Marks the key DELETED (kept, so verdicts can name it). */
  deleteKey(id: string): Promise<void>
  /** Purges the key, material and all. */
  removeKey(id: string): Promise<void>
  /**
   * Asks the engine for a key's material and hands it to the caller only: it is never put in this
   * store, so it lives exactly as long as the component that shows it.
   */
  reveal(id: string): Promise<Outcome<KeyMaterial>>
  importKeyring(keyring: unknown): Promise<Outcome<KeyImportResult>>
  importBundle(bundle: string, passphrase: string): Promise<Outcome<KeyImportResult>>
  exportBundle(passphrase: string): Promise<Outcome<string>>
  dismissActionError(): void
  handleEvent(event: EngineEvent): void
}

export type KeysStore = StoreApi<KeysState>

export function createKeysStore(client: EngineClient): KeysStore {
  /** Bumped by every refresh; answers from an older one are stale and dropped. */
  let generation = 0

  return createStore<KeysState>()((set, get) => {
    const upsert = (changed: readonly KeySummary[]): void => {
      let keys = get().keys
      for (const key of changed) {
        const index = keys.findIndex((item) => item.id === key.id)
        keys = index < 0 ? [...keys, key] : keys.with(index, key)
      }
      set({ keys })
    }

    const withBusy = async (id: string, action: () => Promise<void>): Promise<void> => {
      set({ busyIds: { ...get().busyIds, [id]: true }, actionError: null })
      try {
        await action()
      } catch (error) {
        set({ actionError: describeError(error) })
      } finally {
        const busyIds = { ...get().busyIds }
        delete busyIds[id]
        set({ busyIds })
      }
    }

    /** Vault state and key list together: every keys.changed may have touched either. */
    const refresh = async (): Promise<void> => {
      const gen = ++generation
      try {
        const [vault, keys] = await Promise.all([client.invoke('vault.status', {}), client.invoke('keys.list', {})])
        if (gen === generation) set({ vault, keys, loadStatus: 'ready', loadError: null })
      } catch (error) {
        if (gen === generation) set({ loadStatus: 'error', loadError: describeError(error) })
      }
    }

    const vaultChange = async (run: () => Promise<VaultStatus>): Promise<Outcome<VaultStatus>> => {
      const outcome = await attempt(run)
      if (outcome.ok) {
        set({ vault: outcome.value })
        void refresh()
      }
      return outcome
    }

    return {
      vault: null,
      keys: [],
      schemes: [],
      loadStatus: 'idle',
      loadError: null,
      actionError: null,
      busyIds: {},

      async load() {
        if (get().loadStatus !== 'ready') set({ loadStatus: 'loading', loadError: null })
        // Schemes never change while the engine runs: fetch them once.
        if (get().schemes.length === 0) {
          void client.invoke('verify.schemes', {}).then(
            (schemes) => set({ schemes }),
            () => undefined // the form says "no schemes"; the next load asks again
          )
        }
        await refresh()
      },

      unlock: (passphrase) => vaultChange(() => client.invoke('vault.unlock', { passphrase })),
      setPassphrase: (passphrase) => vaultChange(() => client.invoke('vault.setPassphrase', { passphrase })),

      async create(input) {
        const outcome = await attempt(() => client.invoke('keys.create', input))
        if (outcome.ok) upsert([outcome.value])
        return outcome
      },

      activate: (id) => withBusy(id, async () => upsert(await client.invoke('keys.activate', { id }))),
      deleteKey: (id) => withBusy(id, async () => upsert([await client.invoke('keys.delete', { id })])),
      removeKey: (id) =>
        withBusy(id, async () => {
          await client.invoke('keys.remove', { id })
          set({ keys: get().keys.filter((key) => key.id !== id) })
        }),

      reveal: (id) => attempt(() => client.invoke('keys.reveal', { id })),
      importKeyring: (keyring) => attempt(() => client.invoke('keys.import', { keyring })),
      importBundle: (bundle, passphrase) => attempt(() => client.invoke('keys.import', { bundle, passphrase })),
      exportBundle: async (passphrase) => {
        const outcome = await attempt(() => client.invoke('keys.export', { passphrase }))
        return outcome.ok ? { ok: true, value: outcome.value.bundle } : outcome
      },

      dismissActionError() {
        set({ actionError: null })
      },

      handleEvent(event) {
        if (event.type === 'keys.changed') void refresh()
        else if (event.type === 'stream.reset') void get().load()
      }
    }
  })
}

import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient, EngineEvent } from '../../../../shared/api/contract'
import type { KeySummary } from '../../../../shared/model/keyring'
import type { SigningOverview, SigningProblem } from '../../../../shared/model/signing'
import { describeError } from '../../api/describe-error'
import type { LoadStatus } from '../../stores/deliveries-store'

export interface SigningState {
  overview: SigningOverview | null
  status: LoadStatus
  error: string | null
  load(): Promise<void>
  handleEvent(event: EngineEvent): void
}

export type SigningStore = StoreApi<SigningState>

/**
 * Which keyring keys can sign (`keys.signing`), for the re-sign and sender key pickers. Loaded when
 * a picker first shows, refreshed on every `keys.changed` (a key added, activated, the vault unlocked).
 */
export function createSigningStore(client: EngineClient): SigningStore {
  let generation = 0
  return createStore<SigningState>()((set, get) => ({
    overview: null,
    status: 'idle',
    error: null,
    load: async () => {
      const mine = ++generation
      set({ status: 'loading', error: null })
      try {
        const overview = await client.invoke('keys.signing', {})
        if (mine === generation) set({ overview, status: 'ready' })
      } catch (error) {
        if (mine === generation) set({ status: 'error', error: describeError(error) })
      }
    },
    handleEvent: (event) => {
      if ((event.type === 'keys.changed' || event.type === 'stream.reset') && get().status !== 'idle') void get().load()
    }
  }))
}

export interface SigningChoice {
  key: KeySummary
  schemeLabel: string
  /** Null: it can sign. */
  problem: SigningProblem | null
}

/**
 * The keys a picker offers, those that can sign first; each one that cannot carries the engine's
 * reason (shown next to it, and the option disabled). `scheme` narrows to one scheme (the sender's).
 */
export function signingChoices(keys: readonly KeySummary[], overview: SigningOverview | null, scheme?: string): SigningChoice[] {
  const labels = new Map(overview?.capabilities.map((capability) => [capability.scheme, capability.label]) ?? [])
  const problems = new Map(overview?.keys.map((entry) => [entry.id, entry.problem]) ?? [])
  const unknown: SigningProblem = { code: 'UNKNOWN', reason: 'Not checked yet.' }
  const choices = keys
    .filter((key) => scheme === undefined || key.scheme === scheme)
    .map((key) => ({ key, schemeLabel: labels.get(key.scheme) ?? key.scheme, problem: problems.has(key.id) ? problems.get(key.id)! : unknown }))
  return [...choices.filter((choice) => choice.problem === null), ...choices.filter((choice) => choice.problem !== null)]
}

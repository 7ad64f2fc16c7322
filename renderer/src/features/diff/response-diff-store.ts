import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient } from '../../../../shared/api/contract'
import { describeError } from '../../api/describe-error'
import { compareResponses, type ResponseComparison } from './attempt-diff'

export interface ResponseDiffState {
  /** Up to two attempts picked in the Relay tab, in the order picked. */
  picked: readonly string[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  comparison: ResponseComparison | null
  error: string | null
  /** Picks or unpicks an attempt; a third pick replaces the older one. */
  toggle(attemptId: string): void
  compare(): Promise<void>
  clear(): void
}

export type ResponseDiffStore = StoreApi<ResponseDiffState>

/** The diff between two attempts' responses (e.g. the 500 before a fix and the 200 after it). */
export function createResponseDiffStore(client: EngineClient): ResponseDiffStore {
  let sequence = 0
  return createStore<ResponseDiffState>()((set, get) => ({
    picked: [],
    status: 'idle',
    comparison: null,
    error: null,
    toggle: (attemptId) => {
      const picked = get().picked
      set({ picked: picked.includes(attemptId) ? picked.filter((id) => id !== attemptId) : [...picked, attemptId].slice(-2) })
    },
    compare: async () => {
      const [leftId, rightId] = get().picked
      if (!leftId || !rightId) {
        set({ status: 'error', error: 'Pick two attempts to compare their responses.', comparison: null })
        return
      }
      const mine = ++sequence
      set({ status: 'loading', error: null })
      try {
        const [left, right] = await Promise.all([client.invoke('attempts.get', { id: leftId }), client.invoke('attempts.get', { id: rightId })])
        if (mine === sequence) set({ status: 'ready', comparison: compareResponses(left, right) })
      } catch (error) {
        if (mine === sequence) set({ status: 'error', error: describeError(error), comparison: null })
      }
    },
    clear: () => {
      sequence++
      set({ picked: [], status: 'idle', comparison: null, error: null })
    }
  }))
}

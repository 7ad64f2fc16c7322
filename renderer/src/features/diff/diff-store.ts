import { createStore, type StoreApi } from 'zustand/vanilla'
import type { EngineClient } from '../../../../shared/api/contract'
import { decodeBase64 } from '../../../../shared/lib/base64'
import type { Delivery } from '../../../../shared/model/delivery'
import { describeError } from '../../api/describe-error'
import { type BodyDiff, diffBodies, diffHeaders, type HeaderDiffRow } from './delivery-diff'

export type DiffSide = 'left' | 'right'

export interface DeliveryComparison {
  left: Delivery
  right: Delivery
  headers: HeaderDiffRow[]
  body: BodyDiff
}

export interface DiffState {
  leftId: string | null
  rightId: string | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  comparison: DeliveryComparison | null
  error: string | null
  choose(side: DiffSide, id: string | null): void
  /** "Compare with…" from a delivery: it becomes the left side, the last comparison is dropped. */
  startFrom(id: string): void
  /** Both sides at once (e.g. "compare with the selected delivery"), then compares. */
  compareDeliveries(leftId: string, rightId: string): Promise<void>
  compare(): Promise<void>
  swap(): void
}

export type DiffStore = StoreApi<DiffState>

/** Builds the comparison of two stored deliveries (what the view shows). */
export function compareDeliveries(left: Delivery, right: Delivery): DeliveryComparison {
  return {
    left,
    right,
    headers: diffHeaders(left.headers, right.headers),
    body: diffBodies(decodeBase64(left.bodyBase64), decodeBase64(right.bodyBase64))
  }
}

/** The diff between any two deliveries: both are fetched whole, then compared in the renderer. */
export function createDiffStore(client: EngineClient): DiffStore {
  /** Only the latest comparison may land: picking again while one loads makes the older one stale. */
  let sequence = 0
  return createStore<DiffState>()((set, get) => ({
    leftId: null,
    rightId: null,
    status: 'idle',
    comparison: null,
    error: null,
    choose: (side, id) => set(side === 'left' ? { leftId: id } : { rightId: id }),
    startFrom: (id) => {
      sequence++
      set({ leftId: id, rightId: get().rightId === id ? null : get().rightId, status: 'idle', comparison: null, error: null })
    },
    swap: () => {
      const { leftId, rightId, comparison } = get()
      set({ leftId: rightId, rightId: leftId })
      if (comparison) set({ comparison: compareDeliveries(comparison.right, comparison.left) })
    },
    compareDeliveries: async (leftId, rightId) => {
      set({ leftId, rightId })
      await get().compare()
    },
    compare: async () => {
      const { leftId, rightId } = get()
      if (!leftId || !rightId) {
        set({ status: 'error', error: 'Choose two deliveries to compare.', comparison: null })
        return
      }
      const mine = ++sequence
      set({ status: 'loading', error: null })
      try {
        const [left, right] = await Promise.all([client.invoke('deliveries.get', { id: leftId }), client.invoke('deliveries.get', { id: rightId })])
        if (mine !== sequence) return
        set({ status: 'ready', comparison: compareDeliveries(left, right) })
      } catch (error) {
        if (mine !== sequence) return
        set({ status: 'error', error: describeError(error), comparison: null })
      }
    }
  }))
}

import { createStore, type StoreApi } from 'zustand/vanilla'

/** Top-level pages. Add an id here and a view in app/pages.tsx. */
export type PageId = 'deliveries' | 'keyring' | 'certificates' | 'forwarding' | 'sender' | 'compare'

export interface NavigationState {
  page: PageId
  go(page: PageId): void
}

export type NavigationStore = StoreApi<NavigationState>

export function createNavigationStore(initial: PageId = 'deliveries'): NavigationStore {
  return createStore<NavigationState>()((set) => ({
    page: initial,
    go: (page) => set({ page })
  }))
}

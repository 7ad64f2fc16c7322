/** The store's condition, as its writers found it: shown in the UI and by `hookscope listen`. */
export type StoreHealthState = 'ok' | 'disk-full' | 'read-only' | 'damaged' | 'failing'

export interface StoreHealthStatus {
  state: StoreHealthState
  /** When it left ok (ms), null while ok. */
  since: number | null
  /** One sentence: what it means and what to do. */
  detail: string
  /** Failed writes since it left ok. */
  failures: number
}

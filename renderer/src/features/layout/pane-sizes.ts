/** Widths (px) of the resizable panes as the user left them; null: not chosen, use the default. */
export interface PaneSizes {
  sidebar: number | null
  list: number | null
}

export const SPLITTER_PX = 5
export const SIDEBAR_MIN = 160
export const SIDEBAR_MAX = 420
export const LIST_MIN = 300
export const DETAIL_MIN = 340

const STORAGE_KEY = 'hookscope.panes'

/** Sidebar default: roomy on wide windows, narrower below 1,200 px so list and detail keep their room. */
export function defaultSidebar(width: number): number {
  return width < 1200 ? 184 : 220
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max))

/**
 * The widths to lay out at this window width: the user's choice where it fits, squeezed
 * (sidebar first, then the list) so the detail keeps at least DETAIL_MIN, down to 1,024 px.
 */
export function fitPanes(sizes: PaneSizes, width: number): { sidebar: number; list: number } {
  const room = width - 2 * SPLITTER_PX
  const sidebar = clamp(sizes.sidebar ?? defaultSidebar(width), SIDEBAR_MIN, Math.min(SIDEBAR_MAX, room - LIST_MIN - DETAIL_MIN))
  const available = room - sidebar
  const list = clamp(sizes.list ?? Math.round(available * 0.55), LIST_MIN, available - DETAIL_MIN)
  return { sidebar, list }
}

export function loadPaneSizes(storage: Pick<Storage, 'getItem'> | null): PaneSizes {
  try {
    const value: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null')
    if (typeof value !== 'object' || value === null) return { sidebar: null, list: null }
    const read = (key: string) => {
      const width = (value as Record<string, unknown>)[key]
      return typeof width === 'number' && Number.isFinite(width) && width > 0 && width < 10_000 ? Math.round(width) : null
    }
    return { sidebar: read('sidebar'), list: read('list') }
  } catch {
    return { sidebar: null, list: null }
  }
}

export function savePaneSizes(storage: Pick<Storage, 'setItem'> | null, sizes: PaneSizes): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(sizes))
  } catch {
    // Storage full or disabled: the layout just is not remembered.
  }
}

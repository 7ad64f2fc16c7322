/**
 * Where a key moves the selection: ↑/↓ (and k/j) one row, PageUp/PageDown a screenful,
 * Home/End the first and last loaded row. null: not a navigation key.
 */
export function targetIndex(key: string, current: number, page: number, count: number): number | null {
  const last = Math.max(0, count - 1)
  const clamp = (index: number) => Math.min(last, Math.max(0, index))
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return current < 0 ? 0 : clamp(current + 1)
    case 'ArrowUp':
    case 'k':
      return current < 0 ? 0 : clamp(current - 1)
    case 'PageDown':
      return clamp(Math.max(0, current) + page)
    case 'PageUp':
      return clamp(Math.max(0, current) - page)
    case 'Home':
      return 0
    case 'End':
      return last
    default:
      return null
  }
}

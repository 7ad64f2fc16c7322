/** What a saved export is called by default: `hookscope-2025-06-01-13-14-15.ndjson` (UTC). */
export function exportFileName(format: 'ndjson' | 'har', now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-')
  return `hookscope-${stamp}.${format}`
}

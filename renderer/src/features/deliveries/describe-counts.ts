export interface CountFacts {
  /** Rows in the list now. */
  loaded: number
  /** Every stored delivery; null before the first answer. */
  total: number | null
  /** What the filter matches; null while counting. */
  matched: number | null
  /** `matched` is where the engine stopped counting: "10,000+". */
  capped?: boolean
  filtering: boolean
  /** Older pages remain to be loaded. */
  hasMore: boolean
}

const n = (value: number) => value.toLocaleString('en-US')

/** "500 of 100,000 loaded", "2 of 100,000 match", "12 deliveries". */
export function describeCounts({ loaded, total, matched, filtering, hasMore, capped = false }: CountFacts): string {
  if (filtering) {
    if (total === null) return `${n(loaded)} ${loaded === 1 ? 'match' : 'matches'}`
    if (matched === null) return `counting matches among ${n(total)}…`
    const base = `${n(matched)}${capped ? '+' : ''} of ${n(total)} ${matched === 1 && !capped ? 'matches' : 'match'}`
    return hasMore && loaded < matched ? `${base} · ${n(loaded)} loaded` : base
  }
  if (total !== null && (hasMore || loaded < total)) return `${n(loaded)} of ${n(total)} loaded`
  const all = total ?? loaded
  return `${n(all)} ${all === 1 ? 'delivery' : 'deliveries'}`
}

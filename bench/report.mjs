// How the benchmarks print numbers: the same formats and summaries everywhere.
import { loadavg } from 'node:os'

export const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function median(values) {
  const sorted = [...values].sort((x, y) => x - y)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** `load average (1/5/15 min) at <when>: a / b / c`: how busy the machine was, next to every result. */
export function loadLine(when) {
  return `load average (1/5/15 min) at ${when}: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ')}`
}

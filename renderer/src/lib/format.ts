const UNITS = ['B', 'KiB', 'MiB', 'GiB']

export function formatBytes(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Local wall-clock time with milliseconds: deliveries often arrive within the same second. */
export function formatClock(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

export function formatDateTime(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(ms)}`
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

/** Minutes are enough for key lifecycles. */
export function formatDateTimeShort(ms: number): string {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function isSameLocalDay(a: number, b: number): boolean {
  const x = new Date(a)
  const y = new Date(b)
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate()
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The list's time cell: the clock for today's deliveries, the date for older ones (and the year when not this one). */
export function formatListTime(ms: number, now: number): string {
  if (isSameLocalDay(ms, now)) return formatClock(ms)
  const d = new Date(ms)
  const day = `${MONTHS[d.getMonth()]} ${pad(d.getDate())}`
  return d.getFullYear() === new Date(now).getFullYear() ? `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}` : `${day} ${d.getFullYear()}`
}

const RELATIVE_STEPS: [limitSeconds: number, unitSeconds: number, unit: string][] = [
  [60, 1, 'second'],
  [3600, 60, 'minute'],
  [86_400, 3600, 'hour'],
  [30 * 86_400, 86_400, 'day'],
  [365 * 86_400, 30 * 86_400, 'month'],
  [Infinity, 365 * 86_400, 'year']
]

/** "3 minutes ago", "2 days ago", "in 5 seconds" (clock skew): for tooltips. */
export function formatRelative(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000)
  const size = Math.abs(seconds)
  if (size < 5) return 'just now'
  const [, unitSeconds, unit] = RELATIVE_STEPS.find(([limit]) => size < limit)!
  const count = Math.floor(size / unitSeconds)
  const text = `${count} ${unit}${count === 1 ? '' : 's'}`
  return seconds >= 0 ? `${text} ago` : `in ${text}`
}

import { STATUS_CLASSES, VERDICT_STATUSES } from '../../../shared/api/contract'
import type { VerdictStatus } from '../../../shared/model/verdict'
import type { DeliveriesStore } from '../stores/deliveries-store'
import { type DeliveryFilter, NO_FILTER, type StatusFilter, type TimeFilter, type TimePreset } from '../stores/delivery-filter'

/**
 * Filters and the selected delivery live in the page address, after the `#` (next to the token,
 * never sent to a server): a link to "all invalid Stripe deliveries of today" opens just that,
 * in another tab of the same machine. Unknown or malformed parts are ignored, never trusted.
 */
export interface UrlState {
  filter: DeliveryFilter
  selectedId: string | null
}

const TIME_PRESETS: readonly TimePreset[] = ['15m', '1h', '24h', 'today', '7d']
/** Every key this module owns; the others (token, run) are left as they are. */
const OWN_KEYS = ['q', 'endpoint', 'method', 'verdict', 'code', 'scheme', 'status', 'event', 'time', 'from', 'to', 'sel']

export function readUrlState(hash: string): UrlState {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const text = (key: string, max: number): string | null => {
    const value = params.get(key)
    return value && value.length <= max ? value : null
  }
  const filter: DeliveryFilter = { ...NO_FILTER, q: text('q', 500) ?? '', endpointId: text('endpoint', 64), method: text('method', 32) }
  const verdict = params.get('verdict')
  if (verdict && (VERDICT_STATUSES as readonly string[]).includes(verdict)) filter.verdict = verdict as VerdictStatus
  const code = params.get('code')
  if (code && /^[A-Z][A-Z0-9_]{0,39}$/.test(code)) filter.code = code
  const scheme = text('scheme', 64)
  if (scheme) filter.scheme = scheme
  const status = parseStatus(params.get('status'))
  if (status !== null) filter.status = status
  const eventType = text('event', 120)
  if (eventType) filter.eventType = eventType
  const time = parseTime(params)
  if (time) filter.time = time
  const sel = params.get('sel')
  return { filter, selectedId: sel && /^[0-9a-z]{1,64}$/i.test(sel) ? sel : null }
}

/** The hash for `state`, keeping whatever else the hash holds (the token, the run) in place. */
export function writeUrlState(hash: string, state: UrlState): string {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  for (const key of OWN_KEYS) params.delete(key)
  const { filter } = state
  const put = (key: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') params.set(key, String(value))
  }
  put('q', filter.q.trim())
  put('endpoint', filter.endpointId)
  put('method', filter.method)
  put('verdict', filter.verdict)
  put('code', filter.code)
  put('scheme', filter.scheme)
  put('status', filter.status)
  put('event', filter.eventType)
  if (filter.time && 'preset' in filter.time) put('time', filter.time.preset)
  else if (filter.time) {
    put('from', filter.time.from)
    put('to', filter.time.to)
  }
  put('sel', state.selectedId)
  const text = params.toString()
  return text ? `#${text}` : ''
}

function parseStatus(value: string | null): StatusFilter | null {
  if (!value) return null
  if ((STATUS_CLASSES as readonly string[]).includes(value)) return value as StatusFilter
  const code = /^\d{3}$/.test(value) ? Number(value) : NaN
  return code >= 100 && code <= 599 ? code : null
}

function parseTime(params: URLSearchParams): TimeFilter | null {
  const preset = params.get('time')
  if (preset && (TIME_PRESETS as readonly string[]).includes(preset)) return { preset: preset as TimePreset }
  const bound = (key: string): number | null => {
    const value = params.get(key)
    return value && /^\d{1,15}$/.test(value) ? Number(value) : null
  }
  const from = bound('from')
  const to = bound('to')
  return from === null && to === null ? null : { from, to }
}

/**
 * Keeps the address and the deliveries store in step: store changes replace the hash (no history
 * entry per keystroke), and a hash edited or pasted by hand is applied to the store.
 */
export function syncUrlState(deliveries: DeliveriesStore, win: Window): () => void {
  let writing = false
  const unsubscribe = deliveries.subscribe((state, previous) => {
    if (state.filter === previous.filter && state.selectedId === previous.selectedId) return
    const hash = writeUrlState(win.location.hash, { filter: state.filter, selectedId: state.selectedId })
    if (hash === win.location.hash || (hash === '' && win.location.hash === '')) return
    writing = true
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}${hash}`)
    writing = false
  })
  const onHashChange = () => {
    if (writing) return
    const { filter, selectedId } = readUrlState(win.location.hash)
    const store = deliveries.getState()
    store.applyFilter(filter)
    if (selectedId !== store.selectedId) store.select(selectedId)
  }
  win.addEventListener('hashchange', onHashChange)
  return () => {
    unsubscribe()
    win.removeEventListener('hashchange', onHashChange)
  }
}

import { formatSize } from '../../shared/lib/byte-size'
import { short } from './channel-session'

export interface RequestLineFacts {
  at: number
  method: string
  channelId: string
  /** Path after the channel; its query is left out (queries often carry tokens). */
  rest: string
  size: number
  status: number
  /** live | queued #3 | rate limited | ... */
  outcome: string
  ms: number
}

/** `12:03:55.120  POST /c/abc123…/stripe  2.1 KiB  200  live  3.2 ms`: one per public request. */
export function formatRequestLine(facts: RequestLineFacts): string {
  const time = new Date(facts.at).toISOString().slice(11, 23)
  const path = facts.rest.split('?')[0]!.replace(/[\x00-\x1f\x7f]+/g, ' ')
  const rest = path === '/' ? '' : path
  return `${time}  ${facts.method} /c/${short(facts.channelId)}${rest}  ${formatSize(facts.size)}  ${facts.status}  ${facts.outcome}  ${facts.ms.toFixed(1)} ms`
}

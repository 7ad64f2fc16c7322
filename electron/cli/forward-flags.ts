import type { EngineParams } from '../../shared/api/contract'
import { httpUrlFlag } from './url-flag'
import { UsageError } from './usage-error'

/** The id of the catch-all rule `listen --forward-to` puts on the default endpoint (and removes without it). */
export const CLI_FORWARD_RULE_ID = 'cli-forward-to'

export type ForwardRuleInput = EngineParams<'forwarding.set'>['rules'][number]

/** The rule --forward-to makes, every field it sets filled in. */
export type CliForwardRule = ForwardRuleInput & {
  target: string
  mode: 'passthrough' | 'ack-first'
  retry: 'provider' | 'fast' | 'none'
  timeoutMs: number
}

/**
 * `--forward-to URL [--forward-mode passthrough|ack-first] [--forward-timeout SECONDS] [--retry provider|fast|none]`
 * as a catch-all rule, or null without --forward-to (the other three then are a usage error).
 */
export function forwardRuleFromFlags(flags: {
  'forward-to'?: string
  'forward-mode'?: string
  'forward-timeout'?: string
  retry?: string
}): CliForwardRule | null {
  const target = flags['forward-to']
  if (target === undefined) {
    const stray = (['forward-mode', 'forward-timeout', 'retry'] as const).find((name) => flags[name] !== undefined)
    if (stray) throw new UsageError(`--${stray} needs --forward-to URL`)
    return null
  }
  const url = httpUrlFlag(target, 'forward-to')
  const mode = flags['forward-mode'] ?? 'passthrough'
  if (mode !== 'passthrough' && mode !== 'ack-first') throw new UsageError(`--forward-mode must be passthrough or ack-first, not "${mode}"`)
  const retry = flags.retry ?? 'fast'
  if (retry !== 'provider' && retry !== 'fast' && retry !== 'none') throw new UsageError(`--retry must be provider, fast or none, not "${retry}"`)
  if (flags.retry !== undefined && mode !== 'ack-first')
    throw new UsageError('--retry applies to --forward-mode ack-first (passthrough never retries: the sender is waiting)')
  let timeoutMs = 30_000
  if (flags['forward-timeout'] !== undefined) {
    const text = flags['forward-timeout']
    if (!/^\d{1,6}(\.\d{1,3})?$/.test(text)) throw new UsageError(`--forward-timeout must be seconds (0 waits forever), not "${text}"`)
    timeoutMs = Math.round(Number(text) * 1000)
    if (timeoutMs > 86_400_000) throw new UsageError('--forward-timeout: at most 86400 seconds (0 waits forever)')
  }
  return { id: CLI_FORWARD_RULE_ID, name: 'listen --forward-to', target: url, mode, retry, timeoutMs }
}

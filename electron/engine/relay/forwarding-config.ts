import type { z } from 'zod'
import type { forwardingRuleInputSchema } from '../../../shared/api/relay-schemas'
import { EngineError } from '../../../shared/errors'
import { CATCH_ALL, DEFAULT_FORWARD_TIMEOUT_MS, type FallbackResponse, type ForwardingConfig, type ForwardingRule } from '../../../shared/model/relay'
import { resolveRetryPolicy } from './retry-policy'
import { isLoopbackTarget, parseTarget } from './target-url'

export type ForwardingRuleInput = z.output<typeof forwardingRuleInputSchema>

/** A rule as stored: every default filled in, the target checked, an id given. */
export function normalizeRule(input: ForwardingRuleInput, index: number, nextId: () => string): ForwardingRule {
  let url: URL
  try {
    url = parseTarget(input.target)
  } catch (error) {
    throw new EngineError('BAD_INPUT', `rules.${index}.target: ${(error as Error).message}`)
  }
  const match = input.match ?? {}
  return {
    id: input.id ?? nextId(),
    name: input.name || `to ${url.host}`,
    enabled: input.enabled ?? true,
    match: {
      pathPrefix: match.pathPrefix ?? CATCH_ALL.pathPrefix,
      method: match.method ? match.method.toUpperCase() : CATCH_ALL.method,
      header: match.header ?? CATCH_ALL.header,
      jsonField: match.jsonField ?? CATCH_ALL.jsonField
    },
    target: url.href,
    pathRewrite: input.pathRewrite ?? null,
    headers: { remove: input.headers?.remove ?? [], add: input.headers?.add ?? [] },
    preserveHost: input.preserveHost ?? false,
    timeoutMs: input.timeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS,
    mode: input.mode ?? 'passthrough',
    retry: resolveRetryPolicy(input.retry),
    clientCertificateId: input.clientCertificateId ?? null
  }
}

/** Things to point out about a config; none of them stops it from being saved. */
export function configWarnings(rules: readonly ForwardingRule[], clientCertificateExists: (id: string) => boolean): string[] {
  const warnings: string[] = []
  rules.forEach((rule, index) => {
    const url = new URL(rule.target)
    const label = `rule ${index + 1} (${rule.name})`
    if (!isLoopbackTarget(url)) {
      warnings.push(`${label} forwards to ${url.host}, which is not this machine: deliveries (and their secrets) leave it`)
    }
    if (rule.clientCertificateId !== null && !clientCertificateExists(rule.clientCertificateId)) {
      warnings.push(`${label} uses client certificate ${rule.clientCertificateId}, which is not in the certificate store`)
    }
    if (rule.clientCertificateId !== null && url.protocol !== 'https:') {
      warnings.push(`${label} has a client certificate but an http:// target: the certificate is only sent over https`)
    }
    const earlier = rules.slice(0, index).find((other) => other.enabled && isCatchAll(other))
    if (earlier && rule.enabled) warnings.push(`${label} is never used: ${earlier.name} before it matches every delivery`)
  })
  return warnings
}

function isCatchAll(rule: ForwardingRule): boolean {
  const { pathPrefix, method, header, jsonField } = rule.match
  return pathPrefix === null && method === null && header === null && jsonField === null
}

export function emptyConfig(endpointId: string, fallback: FallbackResponse): ForwardingConfig {
  return { endpointId, rules: [], fallback, warnings: [] }
}

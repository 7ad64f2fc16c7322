import type { EngineEvent } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { DEFAULT_FALLBACK, type FallbackResponse, type ForwardingConfig, type ForwardingRule } from '../../../shared/model/relay'
import type { Clock } from '../engine-types'
import { configWarnings, type ForwardingRuleInput, normalizeRule } from './forwarding-config'
import type { ForwardingConfigsRepo, StoredForwardingConfig } from './forwarding-configs-repo'

export interface ForwardingRulesDeps {
  repo: ForwardingConfigsRepo
  clock: Clock
  nextId: () => string
  emit: (event: EngineEvent) => void
  endpointExists: (endpointId: string) => boolean
  clientCertificateExists: (id: string) => boolean
}

/**
 * Every endpoint's forwarding rules, held in memory (matching runs per delivery, so it must not
 * touch SQLite) and written through to the store on change.
 */
export class ForwardingRules {
  private readonly configs = new Map<string, StoredForwardingConfig>()

  constructor(private readonly deps: ForwardingRulesDeps) {
    for (const config of deps.repo.list()) this.configs.set(config.endpointId, config)
  }

  get(endpointId: string): ForwardingConfig {
    if (!this.configs.has(endpointId) && !this.deps.endpointExists(endpointId)) {
      throw new EngineError('NOT_FOUND', `no endpoint with id "${endpointId}"`)
    }
    return this.view(endpointId)
  }

  set(endpointId: string, inputs: ForwardingRuleInput[], fallback?: FallbackResponse): ForwardingConfig {
    if (!this.deps.endpointExists(endpointId)) throw new EngineError('NOT_FOUND', `no endpoint with id "${endpointId}"`)
    const ids = new Set<string>()
    const rules = inputs.map((input, index) => {
      const rule = normalizeRule(input, index, this.deps.nextId)
      if (ids.has(rule.id)) throw new EngineError('BAD_INPUT', `rules.${index}.id: "${rule.id}" is used twice`)
      ids.add(rule.id)
      return rule
    })
    const config: StoredForwardingConfig = { endpointId, rules, fallback: fallback ?? this.fallbackFor(endpointId) }
    this.deps.repo.save(config, this.deps.clock.now())
    this.configs.set(endpointId, config)
    const view = this.view(endpointId)
    this.deps.emit({ type: 'forwarding.changed', config: view })
    return view
  }

  rulesFor(endpointId: string): readonly ForwardingRule[] {
    return this.configs.get(endpointId)?.rules ?? NO_RULES
  }

  rule(endpointId: string, ruleId: string): ForwardingRule | undefined {
    return this.rulesFor(endpointId).find((rule) => rule.id === ruleId)
  }

  fallbackFor(endpointId: string): FallbackResponse {
    return this.configs.get(endpointId)?.fallback ?? DEFAULT_FALLBACK
  }

  /** The endpoint is gone: so are its rules. */
  removeEndpoint(endpointId: string): void {
    if (!this.configs.delete(endpointId)) return
    this.deps.repo.delete(endpointId)
  }

  private view(endpointId: string): ForwardingConfig {
    const stored = this.configs.get(endpointId)
    const rules = stored?.rules ?? []
    return {
      endpointId,
      rules,
      fallback: stored?.fallback ?? DEFAULT_FALLBACK,
      warnings: configWarnings(rules, this.deps.clientCertificateExists)
    }
  }
}

const NO_RULES: readonly ForwardingRule[] = Object.freeze([])

import { describe, expect, it } from 'vitest'
import { firstMatchingRule, JSON_MATCH_LIMIT } from '../../../../electron/engine/relay/rule-match'
import { CATCH_ALL, type ForwardingRule, RETRY_PRESETS, type RuleMatch } from '../../../../shared/model/relay'

function rule(id: string, match: Partial<RuleMatch>, enabled = true): ForwardingRule {
  return {
    id,
    name: id,
    enabled,
    match: { ...CATCH_ALL, ...match },
    target: 'http://127.0.0.1:3000/',
    pathRewrite: null,
    headers: { remove: [], add: [] },
    preserveHost: false,
    timeoutMs: 30_000,
    mode: 'passthrough',
    retry: RETRY_PRESETS.fast,
    clientCertificateId: null
  }
}

const request = (overrides: Partial<{ method: string; url: string; headers: [string, string][]; body: Buffer }> = {}) => ({
  method: 'POST',
  url: '/stripe/events?x=1',
  headers: [['X-GitHub-Event', 'push']] as [string, string][],
  body: Buffer.from('{"type":"invoice.paid","data":{"object":{"status":"paid","amount":5,"live":false}},"items":[{"id":"a"}]}'),
  ...overrides
})

describe('rule matching', () => {
  it('first match wins; a catch-all catches the rest; disabled rules are skipped', () => {
    const rules = [rule('off', {}, false), rule('github', { header: { name: 'x-github-event', value: 'push' } }), rule('all', {})]
    expect(firstMatchingRule(rules, request())?.id).toBe('github')
    expect(firstMatchingRule(rules, request({ headers: [] }))?.id).toBe('all')
    expect(firstMatchingRule([rule('off', {}, false)], request())).toBeNull()
  })

  it('matches path prefix (not the query), method (any case) and header value (exactly)', () => {
    expect(firstMatchingRule([rule('p', { pathPrefix: '/stripe' })], request())?.id).toBe('p')
    expect(firstMatchingRule([rule('p', { pathPrefix: '/events' })], request())).toBeNull()
    expect(firstMatchingRule([rule('p', { pathPrefix: '/stripe/events?x' })], request())).toBeNull()
    expect(firstMatchingRule([rule('m', { method: 'post' })], request())?.id).toBe('m')
    expect(firstMatchingRule([rule('m', { method: 'PUT' })], request())).toBeNull()
    expect(firstMatchingRule([rule('h', { header: { name: 'X-GitHub-Event', value: 'Push' } })], request())).toBeNull()
  })

  it('matches JSON fields by dotted path, numbers and booleans as JSON text', () => {
    const at = (path: string, value: string) => firstMatchingRule([rule('j', { jsonField: { path, value } })], request())?.id ?? null
    expect(at('type', 'invoice.paid')).toBe('j')
    expect(at('data.object.status', 'paid')).toBe('j')
    expect(at('data.object.amount', '5')).toBe('j')
    expect(at('data.object.live', 'false')).toBe('j')
    expect(at('items.0.id', 'a')).toBe('j')
    expect(at('type', 'invoice')).toBeNull()
    expect(at('data.object', '{}')).toBeNull()
    expect(at('constructor', 'x')).toBeNull()
  })

  it('needs every condition of a rule', () => {
    const both = rule('both', { pathPrefix: '/stripe', jsonField: { path: 'type', value: 'invoice.paid' } })
    expect(firstMatchingRule([both], request())?.id).toBe('both')
    expect(firstMatchingRule([both], request({ url: '/github' }))).toBeNull()
  })

  it('never matches JSON fields of bodies that are not JSON or larger than 1 MiB', () => {
    const typed = [rule('j', { jsonField: { path: 'type', value: 'x' } })]
    expect(firstMatchingRule(typed, request({ body: Buffer.from('type=x') }))).toBeNull()
    const big = Buffer.from(JSON.stringify({ type: 'x', pad: 'y'.repeat(JSON_MATCH_LIMIT) }))
    expect(firstMatchingRule(typed, request({ body: big }))).toBeNull()
    expect(firstMatchingRule(typed, request({ body: Buffer.from(' {"type":"x"}') }))?.id).toBe('j')
  })
})

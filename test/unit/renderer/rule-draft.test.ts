import { describe, expect, it } from 'vitest'
import { attemptOutcome, pendingRetry, relativeTime, summaryOfAttempt, timelineOrder } from '../../../renderer/src/features/relay/attempt-format'
import { draftFromFallback, fallbackInput } from '../../../renderer/src/features/relay/fallback-draft'
import { draftFromRule, newRuleDraft, parseHeaderLines, ruleInput, withRetryPreset } from '../../../renderer/src/features/relay/rule-draft'
import { isLoopbackTarget, targetWarning } from '../../../renderer/src/features/relay/target-url'
import { DEFAULT_FALLBACK, RETRY_PRESETS } from '../../../shared/model/relay'
import { makeAttempt, makeRule } from './fake-engine-client'

describe('rule drafts', () => {
  it('a new rule is a passthrough catch-all to a local app', () => {
    const built = ruleInput(newRuleDraft())
    expect(built).toEqual({
      ok: true,
      input: {
        name: '',
        enabled: true,
        match: { pathPrefix: null, method: null, header: null, jsonField: null },
        target: 'http://127.0.0.1:3000',
        pathRewrite: null,
        headers: { remove: [], add: [] },
        preserveHost: false,
        timeoutMs: 30_000,
        mode: 'passthrough',
        retry: 'fast',
        clientCertificateId: null
      }
    })
  })

  it('a stored rule round-trips through the editor (id kept, custom retry policy whole)', () => {
    const rule = makeRule({
      id: 'rule_9',
      match: { pathPrefix: '/stripe', method: 'POST', header: { name: 'X-Env', value: 'test' }, jsonField: { path: 'type', value: 'invoice.paid' } },
      pathRewrite: { prefix: '/stripe', replacement: '' },
      headers: { remove: ['X-Debug'], add: [['X-Via', 'hookscope']] },
      timeoutMs: 0,
      mode: 'ack-first',
      retry: { preset: 'custom', baseMs: 500, factor: 3, maxDelayMs: 60_000, maxRetries: 4, on: ['5xx'] },
      clientCertificateId: 'cert_client_1'
    })
    const built = ruleInput(draftFromRule(rule))
    expect(built.ok && built.input).toMatchObject({
      id: 'rule_9',
      match: rule.match,
      pathRewrite: rule.pathRewrite,
      headers: rule.headers,
      timeoutMs: 0,
      mode: 'ack-first',
      retry: { baseMs: 500, factor: 3, maxDelayMs: 60_000, maxRetries: 4, on: ['5xx'] },
      clientCertificateId: 'cert_client_1'
    })
  })

  it('names each field to fix instead of sending a rule the engine would refuse', () => {
    const draft = { ...newRuleDraft('ftp://example.com'), pathPrefix: 'stripe', timeoutSeconds: '-1', addHeaders: 'no colon here', rewriteReplacement: '/x' }
    const built = ruleInput(withRetryPreset(draft, 'custom'))
    expect(built.ok).toBe(false)
    if (!built.ok) expect(Object.keys(built.errors).sort()).toEqual(['addHeaders', 'pathPrefix', 'rewriteReplacement', 'target', 'timeoutSeconds'])
    const badRetry = ruleInput({ ...withRetryPreset(newRuleDraft(), 'custom'), retryFactor: '0.5', retryMaxRetries: '2.5' })
    expect(badRetry.ok || Object.keys(badRetry.errors).sort()).toEqual(['retryFactor', 'retryMaxRetries'])
  })

  it('a preset fills the custom fields with its own values', () => {
    const draft = withRetryPreset(newRuleDraft(), 'provider')
    expect([draft.retryBaseSeconds, draft.retryMaxDelaySeconds, draft.retryMaxRetries]).toEqual(['60', '1920', '6'])
    expect(draft.retryOn).toEqual(RETRY_PRESETS.provider.on)
  })

  it('header lines keep order, case and colons inside values; a bad line says which', () => {
    expect(parseHeaderLines('X-A: 1\n\nx-b:two: three\n')).toEqual({
      ok: true,
      headers: [
        ['X-A', '1'],
        ['x-b', 'two: three']
      ]
    })
    expect(parseHeaderLines('X-A: 1\nbad line')).toEqual({ ok: false, error: 'line 2: expected "Name: value"' })
  })
})

describe('fallback drafts', () => {
  it('round-trips the default (Hookscope’s JSON) and an own body with headers', () => {
    expect(fallbackInput(draftFromFallback(DEFAULT_FALLBACK))).toEqual({ ok: true, fallback: DEFAULT_FALLBACK })
    const own = { status: 503, headers: [['Retry-After', '30'] as [string, string]], body: 'down for maintenance' }
    expect(fallbackInput(draftFromFallback(own))).toEqual({ ok: true, fallback: own })
    // An empty own body is a body (empty), not the default.
    expect(fallbackInput({ status: '500', headers: '', ownBody: true, body: '' })).toEqual({ ok: true, fallback: { status: 500, headers: [], body: '' } })
  })

  it('says what to fix', () => {
    expect(fallbackInput({ status: '99', headers: 'no colon', ownBody: false, body: '' })).toEqual({
      ok: false,
      errors: { status: 'a status from 200 to 599', headers: 'line 1: expected "Name: value"' }
    })
  })
})

describe('targets', () => {
  it('warns only for targets off this machine', () => {
    for (const url of ['http://127.0.0.1:3000', 'https://localhost/x', 'http://app.localhost:8080', 'http://[::1]:3000/', 'http://127.8.9.10']) {
      expect(isLoopbackTarget(url), url).toBe(true)
      expect(targetWarning(url), url).toBeNull()
    }
    for (const url of ['http://192.168.1.10:3000', 'https://example.com/hooks', 'http://127.0.0.1.example.com/']) {
      expect(isLoopbackTarget(url), url).toBe(false)
      expect(targetWarning(url), url).toContain('not on this machine')
    }
    expect(targetWarning('not a url')).toBeNull()
  })
})

describe('attempt formatting', () => {
  it('a scheduled retry says when; a finished one its status and time', () => {
    const now = 1_700_000_000_000
    expect(attemptOutcome(summaryOfAttempt(makeAttempt({ state: 'scheduled', dueAt: now + 120_000 })), now)).toBe('next try in 2 min')
    expect(attemptOutcome(summaryOfAttempt(makeAttempt({ state: 'failed', status: 500, durationMs: 12 })), now)).toBe('500 · 12 ms')
    expect(relativeTime(now + 30_000, now)).toBe('in 30 s')
    expect(relativeTime(now - 1, now)).toBe('now')
  })

  it('orders a timeline oldest first, and finds the pending relay retry', () => {
    const first = summaryOfAttempt(makeAttempt({ startedAt: 10, number: 1 }))
    const retry = summaryOfAttempt(makeAttempt({ startedAt: null, dueAt: 50, number: 2, state: 'scheduled' }))
    const replay = summaryOfAttempt(makeAttempt({ kind: 'replay', startedAt: 20 }))
    expect(timelineOrder([retry, replay, first]).map((attempt) => attempt.id)).toEqual([first.id, replay.id, retry.id])
    expect(pendingRetry([first, replay, retry])?.id).toBe(retry.id)
    expect(pendingRetry([first, replay])).toBeNull()
  })
})

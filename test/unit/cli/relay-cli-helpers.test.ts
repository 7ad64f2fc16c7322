import { describe, expect, it } from 'vitest'
import { describeResult } from '../../../electron/cli/attempt-lines'
import { CLI_FORWARD_RULE_ID, forwardRuleFromFlags } from '../../../electron/cli/forward-flags'
import { forwardedLines } from '../../../electron/cli/forwarded-lines'
import { headerFlags, withHeaders } from '../../../electron/cli/header-flags'
import { httpUrlFlag } from '../../../electron/cli/url-flag'
import { UsageError } from '../../../electron/cli/usage-error'
import type { EngineEvent } from '../../../shared/api/contract'
import type { DeliverySummary } from '../../../shared/model/delivery'
import type { AttemptSummary } from '../../../shared/model/relay'

describe('forwardRuleFromFlags', () => {
  it('makes a catch-all passthrough rule with a 30 s timeout by default', () => {
    expect(forwardRuleFromFlags({ 'forward-to': 'localhost:3000' })).toEqual({
      id: CLI_FORWARD_RULE_ID,
      name: 'listen --forward-to',
      target: 'http://localhost:3000/',
      mode: 'passthrough',
      retry: 'fast',
      timeoutMs: 30_000
    })
    expect(forwardRuleFromFlags({})).toBeNull()
  })

  it('takes the mode, the retry preset and the timeout in seconds (0 waits forever)', () => {
    expect(
      forwardRuleFromFlags({ 'forward-to': 'https://127.0.0.1:8443/hooks', 'forward-mode': 'ack-first', retry: 'provider', 'forward-timeout': '2.5' })
    ).toMatchObject({
      target: 'https://127.0.0.1:8443/hooks',
      mode: 'ack-first',
      retry: 'provider',
      timeoutMs: 2500
    })
    expect(forwardRuleFromFlags({ 'forward-to': 'localhost:3000', 'forward-timeout': '0' })!.timeoutMs).toBe(0)
  })

  it.each([
    [{ 'forward-mode': 'ack-first' }, /--forward-mode needs --forward-to URL/],
    [{ retry: 'none' }, /--retry needs --forward-to URL/],
    [{ 'forward-timeout': '5' }, /--forward-timeout needs --forward-to URL/],
    [{ 'forward-to': 'ftp://x' }, /--forward-to must be an http:\/\/ or https:\/\/ URL/],
    [{ 'forward-to': 'http://a b' }, /--forward-to must be a URL/],
    [{ 'forward-to': 'localhost:3000', 'forward-mode': 'later' }, /--forward-mode must be passthrough or ack-first, not "later"/],
    [{ 'forward-to': 'localhost:3000', 'forward-mode': 'ack-first', retry: 'always' }, /--retry must be provider, fast or none/],
    [{ 'forward-to': 'localhost:3000', retry: 'fast' }, /--retry applies to --forward-mode ack-first/],
    [{ 'forward-to': 'localhost:3000', 'forward-timeout': '-1' }, /--forward-timeout must be seconds/],
    [{ 'forward-to': 'localhost:3000', 'forward-timeout': '1e3' }, /--forward-timeout must be seconds/],
    [{ 'forward-to': 'localhost:3000', 'forward-timeout': '90000' }, /at most 86400 seconds/]
  ])('refuses %j', (flags, message) => {
    expect(() => forwardRuleFromFlags(flags)).toThrow(UsageError)
    expect(() => forwardRuleFromFlags(flags)).toThrow(message)
  })
})

describe('httpUrlFlag', () => {
  it('reads host:port as http and keeps a given scheme', () => {
    expect(httpUrlFlag('127.0.0.1:3000/x?y=1', 'to')).toBe('http://127.0.0.1:3000/x?y=1')
    expect(httpUrlFlag('HTTPS://Example.test', 'to')).toBe('https://example.test/')
  })

  it('refuses credentials in the URL (they would be stored with every attempt)', () => {
    expect(() => httpUrlFlag('http://user:pw@127.0.0.1', 'to')).toThrow(/--to must not carry a user name or password/)
  })
})

describe('header flags', () => {
  it("reads 'Name: value' and refuses what is not a header", () => {
    expect(headerFlags(['X-One: 1', 'x-two:two: parts ', 'X-Empty:'])).toEqual([
      ['X-One', '1'],
      ['x-two', 'two: parts'],
      ['X-Empty', '']
    ])
    expect(headerFlags(undefined)).toEqual([])
    for (const bad of ['no colon', ': value', 'Bad Name: x', 'X-Ctl: a\nb']) expect(() => headerFlags([bad])).toThrow(UsageError)
  })

  it('sets the first header of a name in place (its case kept), drops the others of that name, adds new ones at the end', () => {
    const headers: [string, string][] = [
      ['Host', 'a'],
      ['X-Sig', 'old'],
      ['Content-Type', 'application/json'],
      ['x-sig', 'older']
    ]
    expect(
      withHeaders(headers, [
        ['x-SIG', 'new'],
        ['X-Added', '1']
      ])
    ).toEqual([
      ['Host', 'a'],
      ['X-Sig', 'new'],
      ['Content-Type', 'application/json'],
      ['X-Added', '1']
    ])
    // The delivery's own headers are left as they were.
    expect(headers[1]).toEqual(['X-Sig', 'old'])
  })
})

function summary(overrides: Partial<DeliverySummary> = {}): DeliverySummary {
  return {
    id: 'd1',
    endpointId: 'default',
    receivedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    method: 'POST',
    url: '/hooks',
    bodySize: 12,
    truncated: false,
    responseStatus: 200,
    ...overrides
  } as DeliverySummary
}

function attempt(overrides: Partial<AttemptSummary> = {}): AttemptSummary {
  return {
    id: 'a1',
    deliveryId: 'd1',
    endpointId: 'default',
    kind: 'relay',
    ruleId: 'r',
    batchId: null,
    number: 1,
    state: 'succeeded',
    dueAt: null,
    startedAt: 1,
    finishedAt: Date.UTC(2026, 0, 2, 3, 4, 6, 0),
    method: 'POST',
    target: 'http://127.0.0.1:3000/hooks',
    status: 201,
    durationMs: 4.25,
    error: null,
    resignedWith: null,
    edited: false,
    verdict: null,
    ...overrides
  }
}

describe('forwardedLines', () => {
  const added = (delivery: DeliverySummary): EngineEvent => ({ type: 'delivery.added', delivery })
  const updated = (value: AttemptSummary): EngineEvent => ({ type: 'attempt.updated', attempt: value })

  function printer() {
    const lines: string[] = []
    const forwarded = forwardedLines(
      'default',
      (delivery) => `line ${delivery.id}`,
      (line) => lines.push(line)
    )
    return { lines, forwarded }
  }

  it("prints a delivery's line once its first attempt has finished, with the target's status and time", () => {
    const { lines, forwarded } = printer()
    forwarded.handle(added(summary()))
    forwarded.handle(updated(attempt({ state: 'in-flight', status: null, durationMs: null })))
    expect(lines).toEqual([])
    forwarded.handle(updated(attempt()))
    expect(lines).toEqual(['line d1  → 201 in 4.3 ms'])
  })

  it('also when the attempt finishes before the delivery event arrives, added already finished (passthrough)', () => {
    const { lines, forwarded } = printer()
    forwarded.handle({ type: 'attempt.added', attempt: attempt({ durationMs: 250.4 }) })
    expect(lines).toEqual([])
    forwarded.handle(added(summary()))
    expect(lines).toEqual(['line d1  → 201 in 250 ms'])
  })

  it('says why there was no answer, on one line, and gives retries lines of their own', () => {
    const { lines, forwarded } = printer()
    forwarded.handle(added(summary()))
    const refused = { code: 'CONNECTION_REFUSED' as const, message: 'nothing listens on 127.0.0.1:3000 —\nis your app running?' }
    forwarded.handle(updated(attempt({ state: 'failed', status: null, error: refused, durationMs: 1 })))
    forwarded.handle(updated(attempt({ id: 'a2', number: 2, status: 500, state: 'failed', error: null, durationMs: 12 })))
    expect(lines).toEqual([
      'line d1  → CONNECTION_REFUSED in 1.0 ms: nothing listens on 127.0.0.1:3000 — is your app running?',
      '03:04:06.000  POST /hooks  retry 1  → 500 in 12 ms'
    ])
  })

  it("leaves other endpoints' deliveries, replays and sends alone; on stop, prints lines still waiting without a result", () => {
    const { lines, forwarded } = printer()
    expect(forwarded.owns(added(summary({ endpointId: 'other' })))).toBe(false)
    expect(forwarded.owns(added(summary()))).toBe(true)
    forwarded.handle(added(summary({ id: 'd2' })))
    forwarded.handle(updated(attempt({ kind: 'replay', deliveryId: 'd2' })))
    forwarded.handle(updated(attempt({ kind: 'send', deliveryId: null })))
    expect(lines).toEqual([])
    forwarded.flush()
    expect(lines).toEqual(['line d2'])
  })
})

describe('describeResult', () => {
  it('shows an answer that is not 2xx with its status, and an error with its code', () => {
    expect(describeResult(attempt({ status: 404, durationMs: 30 }))).toBe('→ 404 in 30 ms')
    expect(describeResult(attempt({ status: null, durationMs: null, error: { code: 'TIMEOUT', message: 'no answer within 30 s' } }))).toBe(
      '→ TIMEOUT: no answer within 30 s'
    )
  })
})

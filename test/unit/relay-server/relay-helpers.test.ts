import { describe, expect, it } from 'vitest'
import { relayServerOptions } from '../../../electron/cli/relay-server-command'
import { UsageError } from '../../../electron/cli/usage-error'
import { parseChannelRequest } from '../../../electron/relay-server/channel-request'
import { RateLimiter } from '../../../electron/relay-server/rate-limiter'
import { bearerToken, CHANNEL_ID_PATTERN, hashToken, newChannelId, tokenMatches } from '../../../electron/relay-server/relay-secrets'
import { formatRequestLine } from '../../../electron/relay-server/request-line'

describe('parseChannelRequest', () => {
  it.each([
    ['/c/abc', { channelId: 'abc', rest: '/' }],
    ['/c/abc/', { channelId: 'abc', rest: '/' }],
    ['/c/abc?x=1', { channelId: 'abc', rest: '/?x=1' }],
    ['/c/abc/hooks/stripe?x=1&y', { channelId: 'abc', rest: '/hooks/stripe?x=1&y' }],
    ['/c/abc//double', { channelId: 'abc', rest: '//double' }]
  ])('%s', (target, expected) => {
    expect(parseChannelRequest(target)).toEqual(expected)
  })

  it.each(['/', '/c/', '/channels', '/x/c/abc', '/c'])('ignores %s', (target) => {
    expect(parseChannelRequest(target)).toBeNull()
  })
})

describe('relay secrets', () => {
  it('makes unguessable ids and checks tokens against their hash', () => {
    const ids = new Set(Array.from({ length: 1000 }, newChannelId))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(CHANNEL_ID_PATTERN)
    const hash = hashToken('s3cret-token')
    expect(tokenMatches('s3cret-token', hash)).toBe(true)
    expect(tokenMatches('s3cret-tokeN', hash)).toBe(false)
    expect(tokenMatches('', hash)).toBe(false)
    expect(bearerToken('Bearer abc.def')).toBe('abc.def')
    expect(bearerToken('bearer  abc')).toBe('abc')
    expect(bearerToken('Basic abc')).toBeNull()
    expect(bearerToken(undefined)).toBeNull()
  })
})

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0
    const limiter = new RateLimiter(10, 20, () => now)
    const burst = Array.from({ length: 25 }, () => limiter.take('a'))
    expect(burst.filter(Boolean)).toHaveLength(20)
    expect(limiter.take('b')).toBe(true)
    now += 500
    expect(Array.from({ length: 10 }, () => limiter.take('a')).filter(Boolean)).toHaveLength(5)
  })
})

describe('relay-server flags', () => {
  it('needs an admin token or --open, not both', () => {
    expect(() => relayServerOptions([])).toThrow(/--admin-token T .* or --open/)
    expect(() => relayServerOptions(['--open', '--admin-token', 'x'.repeat(16)])).toThrow(UsageError)
    expect(() => relayServerOptions(['--admin-token', 'short'])).toThrow(/at least 16/)
    expect(relayServerOptions([], 'from-the-environment-0001').adminToken).toBe('from-the-environment-0001')
  })

  it('reads every documented flag', () => {
    const options = relayServerOptions([
      '--port',
      '9000',
      '--host',
      '0.0.0.0',
      '--public-url',
      'https://relay.example.com',
      '--open',
      '--redis',
      'redis://127.0.0.1:6379',
      '--max-body',
      '1048576',
      '--queue-max',
      '50',
      '--queue-ttl',
      '3600',
      '--queue-max-bytes',
      '1000000',
      '--rate-limit',
      '0',
      '--heartbeat',
      '0.5'
    ])
    expect(options).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      publicUrl: 'https://relay.example.com',
      open: true,
      redisUrl: 'redis://127.0.0.1:6379',
      maxBodyBytes: 1048576,
      queue: { maxCount: 50, ttlMs: 3_600_000, maxBytes: 1_000_000 },
      ratePerSecond: 0,
      heartbeatMs: 500
    })
  })

  it.each([
    [['--open', '--public-url', 'ftp://x']],
    [['--open', '--redis', 'http://x']],
    [['--open', '--queue-max', '0']],
    [['--open', '--max-body', 'lots']],
    [['--open', '--heartbeat', '0']]
  ])('refuses %j', (args) => {
    expect(() => relayServerOptions(args)).toThrow(UsageError)
  })
})

describe('formatRequestLine', () => {
  it('shows a channel prefix and the path, never the query', () => {
    const line = formatRequestLine({
      at: Date.UTC(2026, 0, 1, 12, 3, 55, 120),
      method: 'POST',
      channelId: 'abcdefghjkmnpqrstvwxyz01',
      rest: '/stripe?token=secret',
      size: 2150,
      status: 200,
      outcome: 'live',
      ms: 3.21
    })
    expect(line).toBe('12:03:55.120  POST /c/abcdef…/stripe  2.1 KiB  200  live  3.2 ms')
  })
})

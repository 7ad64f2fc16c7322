import { describe, expect, it } from 'vitest'
import { deliveryPrinter, formatDeliveryLine } from '../../../electron/cli/listen-command'
import { hostFlag, parseFlags, portFlag } from '../../../electron/cli/parse-flags'
import { UsageError } from '../../../electron/cli/usage-error'
import type { DeliverySummary } from '../../../shared/model/delivery'

describe('portFlag', () => {
  it.each([
    [undefined, 8080],
    ['0', 0],
    ['1', 1],
    ['8080', 8080],
    ['65535', 65535],
    ['00080', 80]
  ])('%j → %i', (value, expected) => {
    expect(portFlag(value, 'port', 8080)).toBe(expected)
  })

  it.each(['65536', '70000', '-1', '1.5', '0x50', '', ' 80', '80 ', '123456', 'eighty', '1e3'])('refuses %j', (value) => {
    expect(() => portFlag(value, 'port', 8080)).toThrow(UsageError)
    expect(() => portFlag(value, 'port', 8080)).toThrow(/--port must be a port number from 0 to 65535/)
  })
})

describe('hostFlag', () => {
  it.each(['127.0.0.1', '0.0.0.0', '::1', '::', 'localhost', 'my-host.local', 'fe80::1'])('accepts %j', (value) => {
    expect(hostFlag(value, 'host', 'x')).toBe(value)
  })

  it.each(['', 'bad host', 'a/b', 'http://x', 'x;rm', 'a'.repeat(254)])('refuses %j', (value) => {
    expect(() => hostFlag(value, 'host', 'x')).toThrow(UsageError)
  })

  it('falls back when absent', () => {
    expect(hostFlag(undefined, 'host', '127.0.0.1')).toBe('127.0.0.1')
  })
})

describe('parseFlags', () => {
  const options = { port: { type: 'string' }, 'no-ui': { type: 'boolean' } } as const

  it('parses known flags', () => {
    expect(parseFlags(['--port', '1', '--no-ui'], options)).toEqual({ port: '1', 'no-ui': true })
    expect(parseFlags(['--port=2'], options)).toEqual({ port: '2' })
  })

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['stray'], /Unexpected argument 'stray'/],
    [['--port'], /argument missing/],
    [['--no-ui=1'], /does not take an argument/]
  ])('turns %j into a one-line UsageError', (args, message) => {
    let error: unknown
    try {
      parseFlags(args, options)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })
})

const summary: DeliverySummary = {
  id: 'x',
  endpointId: 'default',
  receivedAt: Date.UTC(2025, 5, 1, 13, 14, 15, 16),
  durationMs: 1,
  method: 'POST',
  url: '/hooks/a?b=1',
  httpVersion: '1.1',
  contentType: null,
  bodySize: 512,
  truncated: false,
  responseStatus: 200,
  remoteAddress: '127.0.0.1',
  remotePort: 1,
  verdict: null,
  secure: false,
  eventType: null
}

describe('formatDeliveryLine', () => {
  it('prints time (UTC), method, path, size and status', () => {
    expect(formatDeliveryLine(summary)).toBe('13:14:15.016  POST /hooks/a?b=1  512 B  200')
  })

  it('scales sizes and marks truncation', () => {
    expect(formatDeliveryLine({ ...summary, bodySize: 1536 })).toContain('  1.5 KiB  ')
    expect(formatDeliveryLine({ ...summary, bodySize: 5 * 1024 * 1024, truncated: true, responseStatus: 413 })).toMatch(/  5\.0 MiB \(truncated\)  413$/)
  })
})

describe('deliveryPrinter', () => {
  it('prints one line per delivery, a whole batch in one write, and ignores other events', async () => {
    const writes: string[] = []
    const print = deliveryPrinter((text) => writes.push(text))
    print({ type: 'delivery.added', delivery: { ...summary, url: '/1' } })
    print({ type: 'deliveries.cleared', endpointId: null })
    print({ type: 'delivery.added', delivery: { ...summary, url: '/2' } })
    expect(writes).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(1)
    expect(writes[0]!.split('\n').map((line) => line.split('  ')[1])).toEqual(['POST /1', 'POST /2'])
    print({ type: 'delivery.added', delivery: { ...summary, url: '/3' } })
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toHaveLength(2)
    expect(writes[1]).toContain('POST /3')
  })
})

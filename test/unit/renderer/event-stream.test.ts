import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay } from '../../../renderer/src/api/backoff'
import { ReconnectingEventStream, type SocketHandlers } from '../../../renderer/src/api/event-stream'
import type { EngineEvent } from '../../../shared/api/contract'

/** A scripted socket factory: the test decides when each socket opens, speaks and closes. */
class FakeSockets {
  opened: Array<{ url: string; handlers: SocketHandlers; closed: boolean }> = []
  open = (url: string, handlers: SocketHandlers) => {
    const socket = { url, handlers, closed: false }
    this.opened.push(socket)
    return {
      close: () => {
        socket.closed = true
      }
    }
  }
  get last() {
    return this.opened[this.opened.length - 1]!
  }
}

let sockets: FakeSockets
let stream: ReconnectingEventStream
let events: EngineEvent[]

beforeEach(() => {
  vi.useFakeTimers()
  sockets = new FakeSockets()
  stream = new ReconnectingEventStream('ws://127.0.0.1:1/api/events?token=t', sockets.open, { initialMs: 250, maxMs: 5000 })
  events = []
})

afterEach(() => vi.useRealTimers())

describe('backoffDelay', () => {
  it('doubles from 250 ms and stops at 5 s', () => {
    const policy = { initialMs: 250, maxMs: 5000 }
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((n) => backoffDelay(policy, n))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000])
  })
})

describe('ReconnectingEventStream', () => {
  it('connects on the first subscriber and forwards JSON events, ignoring junk frames', () => {
    expect(sockets.opened).toHaveLength(0)
    stream.subscribe((event) => events.push(event))
    expect(sockets.opened).toHaveLength(1)
    expect(stream.getStatus()).toBe('connecting')
    sockets.last.handlers.onOpen()
    expect(stream.getStatus()).toBe('connected')
    sockets.last.handlers.onMessage('{"type":"endpoint.removed","id":"x"}')
    sockets.last.handlers.onMessage('not json')
    sockets.last.handlers.onMessage('{"no":"type"}')
    expect(events).toEqual([{ type: 'stream.reset' }, { type: 'endpoint.removed', id: 'x' }])
  })

  it('reconnects with growing delays and emits stream.reset after it is back', () => {
    const statuses: string[] = []
    stream.onChange(() => statuses.push(stream.getStatus()))
    stream.subscribe((event) => events.push(event))
    sockets.last.handlers.onOpen()
    events = []

    sockets.last.handlers.onClose()
    expect(stream.getStatus()).toBe('reconnecting')
    vi.advanceTimersByTime(249)
    expect(sockets.opened).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sockets.opened).toHaveLength(2)
    sockets.last.handlers.onClose() // refused again: wait longer
    vi.advanceTimersByTime(499)
    expect(sockets.opened).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sockets.opened).toHaveLength(3)
    expect(events).toEqual([])

    sockets.last.handlers.onOpen()
    expect(events).toEqual([{ type: 'stream.reset' }])
    expect(statuses).toEqual(['connected', 'reconnecting', 'connected'])

    // A successful open resets the backoff.
    sockets.last.handlers.onClose()
    vi.advanceTimersByTime(250)
    expect(sockets.opened).toHaveLength(4)
  })

  it('ignores callbacks from a socket it has replaced', () => {
    stream.subscribe((event) => events.push(event))
    const first = sockets.last
    first.handlers.onClose()
    vi.advanceTimersByTime(250)
    first.handlers.onMessage('{"type":"endpoint.removed","id":"stale"}')
    first.handlers.onOpen()
    expect(events).toEqual([])
    expect(stream.getStatus()).toBe('reconnecting')
  })

  it('closes the socket and stops retrying when the last listener leaves', () => {
    const unsubscribe = stream.subscribe(() => {})
    const socket = sockets.last
    socket.handlers.onClose()
    unsubscribe()
    vi.advanceTimersByTime(10_000)
    expect(sockets.opened).toHaveLength(1)

    stream.subscribe(() => {})
    const again = stream.subscribe(() => {})
    again()
    expect(sockets.opened).toHaveLength(2)
    expect(sockets.last.closed).toBe(false)
  })

  it('keeps delivering to other listeners when one throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    stream.subscribe(() => {
      throw new Error('boom')
    })
    stream.subscribe((event) => events.push(event))
    sockets.last.handlers.onOpen()
    expect(events).toEqual([{ type: 'stream.reset' }])
    expect(error).toHaveBeenCalled()
    error.mockRestore()
  })
})

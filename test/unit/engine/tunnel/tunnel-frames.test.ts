import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  decodeFrame,
  encodeFrame,
  framesWithBody,
  type RequestFrame,
  TUNNEL_CHUNK_BYTES,
  TunnelProtocolError
} from '../../../../electron/engine/tunnel/tunnel-frames'
import { parseTunnelUrl } from '../../../../electron/engine/tunnel/tunnel-url'

const head: Omit<RequestFrame, 'end'> = {
  type: 'request',
  id: 'abc',
  method: 'POST',
  target: '/x?y=1',
  httpVersion: '1.1',
  headers: [
    ['X-Latin1', 'caf\xe9 \xff'],
    ['x-latin1', 'second']
  ],
  publicUrl: 'https://relay.example/c/abc/x?y=1',
  receivedAt: 1_700_000_000_000,
  durationMs: 1.5,
  remoteAddress: '203.0.113.9',
  remotePort: 40000,
  bodySize: 0,
  queued: false
}

describe('tunnel frames', () => {
  it('round-trips a head with latin1 header bytes and a binary payload', () => {
    const payload = randomBytes(1000)
    const decoded = decodeFrame(encodeFrame({ ...head, end: true }, payload))
    expect(decoded.frame).toEqual({ ...head, end: true })
    expect(decoded.payload.equals(payload)).toBe(true)
  })

  it('cuts a body into chunks that reassemble to the same bytes', () => {
    const body = randomBytes(TUNNEL_CHUNK_BYTES * 2 + 17)
    const frames = framesWithBody<RequestFrame>({ ...head, bodySize: body.length }, body).map(decodeFrame)
    expect(frames.map((f) => f.frame.type)).toEqual(['request', 'request-data', 'request-data'])
    expect(frames.map((f) => (f.frame as { end: boolean }).end)).toEqual([false, false, true])
    expect(Buffer.concat(frames.map((f) => f.payload)).equals(body)).toBe(true)
    expect(framesWithBody<RequestFrame>(head, Buffer.alloc(0)).map(decodeFrame)[0]!.frame).toMatchObject({ end: true })
  })

  it.each([
    ['too short', Buffer.from([2, 0])],
    ['unknown type', Buffer.from([99, 0, 0, 0, 2, 123, 125])],
    ['meta past the end', Buffer.from([2, 0, 0, 0, 50, 123, 125])],
    ['not JSON', Buffer.from([2, 0, 0, 0, 1, 120])],
    ['missing fields', encodeFrame({ type: 'response-data', id: 'x', end: true }).fill(4, 0, 1)]
  ])('refuses a malformed frame: %s', (_what, message) => {
    expect(() => decodeFrame(message)).toThrow(TunnelProtocolError)
  })
})

describe('parseTunnelUrl', () => {
  it('tells a relay-server channel from a smee channel', () => {
    expect(parseTunnelUrl('https://relay.example/c/0123456789abcdefghjkmnpq')).toEqual({
      provider: 'hookscope',
      url: 'https://relay.example/c/0123456789abcdefghjkmnpq',
      connectUrl: 'wss://relay.example/c/0123456789abcdefghjkmnpq/connect'
    })
    expect(parseTunnelUrl('http://127.0.0.1:8787/base/c/0123456789abcdefghjkmnpq/')?.connectUrl).toBe(
      'ws://127.0.0.1:8787/base/c/0123456789abcdefghjkmnpq/connect'
    )
    expect(parseTunnelUrl('https://smee.io/AbCd1234')).toEqual({ provider: 'smee', url: 'https://smee.io/AbCd1234', connectUrl: 'https://smee.io/AbCd1234' })
  })

  it.each(['ftp://x/c/0123456789abcdefghjkmnpq', 'https://smee.io/', 'https://u:p@smee.io/x', 'https://smee.io/x?y=1', 'not a url'])('refuses %j', (url) => {
    expect(parseTunnelUrl(url)).toBeNull()
  })
})

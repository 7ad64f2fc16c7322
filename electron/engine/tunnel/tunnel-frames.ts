import type { RawHeader } from '../../../shared/model/delivery'

/**
 * The wire protocol between `hookscope relay-server` and the tunnel client: one WebSocket binary
 * message per frame, `[type: u8][meta length: u32 BE][meta: JSON, UTF-8][payload bytes]`.
 *
 * Header names and values are Node's latin1 byte strings; JSON carries each char (0-255) as a code
 * point, so they come out exactly as they went in. Bodies are never in the JSON: they follow as raw
 * payload bytes, cut into chunks of at most TUNNEL_CHUNK_BYTES so a 30 MiB delivery neither needs
 * one giant message nor holds up the small ones behind it.
 *
 * A delivery is acknowledged by the last frame of its response (`end: true`): the relay removes it
 * from the channel's queue only then, so it is delivered again (same `id`) if the client goes away
 * before answering. The client recognises the id and answers again without capturing it twice.
 *
 * A queued delivery (its sender was answered by the relay, not by a client) that the client
 * could not store is not answered at all: the client closes the connection with
 * CLOSE_STORE_UNAVAILABLE, so the delivery stays at the head of the queue, and connects again
 * after a backoff. Answering it (with the store's 503) would acknowledge it, and nobody would
 * ever send it again.
 */

export const TUNNEL_PROTOCOL = 'hookscope-tunnel.v1'
export const TUNNEL_CHUNK_BYTES = 256 * 1024
/** Close code of a client whose store could not take a queued delivery (see above). */
export const CLOSE_STORE_UNAVAILABLE = 4003
/** Biggest message either side accepts: one chunk plus generous room for the head's JSON. */
export const TUNNEL_MAX_MESSAGE_BYTES = TUNNEL_CHUNK_BYTES + 1024 * 1024

/** Sent by the relay once the client is authenticated. */
export interface HelloFrame {
  type: 'hello'
  channelId: string
  /** The URL senders post to. */
  publicUrl: string
  /** The relay pings at this interval and drops a client that misses one. */
  heartbeatMs: number
  /** Deliveries waiting in the channel's queue, sent next. */
  queued: number
}

/** A sender's request as the relay received it, without its body. */
export interface DeliveryHead {
  method: string
  /** Path and query after the channel prefix, exactly as in the sender's request line. */
  target: string
  httpVersion: string
  headers: RawHeader[]
  /** The full public URL the sender posted to. */
  publicUrl: string
  /** Relay wall-clock ms when the sender's request head arrived. */
  receivedAt: number
  durationMs: number
  remoteAddress: string
  remotePort: number
}

/** The head of a request for the client to capture, with its first body bytes as payload. */
export interface RequestFrame extends DeliveryHead {
  type: 'request'
  /** The relay's delivery id: unguessable, the same when delivered again. */
  id: string
  bodySize: number
  /**
   * The sender was already answered by the relay (queued while the client was offline, or later:
   * its wait timed out, or a client left with it): nobody waits for this response.
   */
  queued: boolean
  end: boolean
}

export interface RequestDataFrame {
  type: 'request-data'
  id: string
  end: boolean
}

export interface ResponseFrame {
  type: 'response'
  id: string
  status: number
  headers: RawHeader[]
  end: boolean
}

export interface ResponseDataFrame {
  type: 'response-data'
  id: string
  end: boolean
}

export type TunnelFrame = HelloFrame | RequestFrame | RequestDataFrame | ResponseFrame | ResponseDataFrame

const TYPE_CODES: Record<TunnelFrame['type'], number> = {
  hello: 1,
  request: 2,
  'request-data': 3,
  response: 4,
  'response-data': 5
}
const TYPE_NAMES = new Map(Object.entries(TYPE_CODES).map(([name, code]) => [code, name as TunnelFrame['type']]))

export interface DecodedFrame {
  frame: TunnelFrame
  payload: Buffer
}

export class TunnelProtocolError extends Error {
  override readonly name = 'TunnelProtocolError'
}

export function encodeFrame(frame: TunnelFrame, payload: Buffer = EMPTY): Buffer {
  const { type, ...meta } = frame
  const json = Buffer.from(JSON.stringify(meta), 'utf8')
  const head = Buffer.allocUnsafe(5)
  head.writeUInt8(TYPE_CODES[type], 0)
  head.writeUInt32BE(json.length, 1)
  return Buffer.concat([head, json, payload], 5 + json.length + payload.length)
}

/** Throws TunnelProtocolError on anything malformed; the receiver then closes the connection. */
export function decodeFrame(message: Buffer): DecodedFrame {
  if (message.length < 5) throw new TunnelProtocolError('frame shorter than its header')
  const type = TYPE_NAMES.get(message.readUInt8(0))
  if (!type) throw new TunnelProtocolError(`unknown frame type ${message.readUInt8(0)}`)
  const length = message.readUInt32BE(1)
  if (5 + length > message.length) throw new TunnelProtocolError('frame meta runs past the message')
  let meta: unknown
  try {
    meta = JSON.parse(message.toString('utf8', 5, 5 + length))
  } catch {
    throw new TunnelProtocolError('frame meta is not JSON')
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new TunnelProtocolError('frame meta is not an object')
  const frame = { ...(meta as Record<string, unknown>), type } as TunnelFrame
  checkFrame(frame)
  return { frame, payload: message.subarray(5 + length) }
}

/** The frames that carry one message with a body: the head with the first chunk, then data frames. */
export function framesWithBody<H extends RequestFrame | ResponseFrame>(head: Omit<H, 'end'>, body: Buffer): Buffer[] {
  const dataType = head.type === 'request' ? 'request-data' : 'response-data'
  const first = body.subarray(0, TUNNEL_CHUNK_BYTES)
  const frames = [encodeFrame({ ...head, end: body.length <= TUNNEL_CHUNK_BYTES } as unknown as TunnelFrame, first)]
  for (let offset = TUNNEL_CHUNK_BYTES; offset < body.length; offset += TUNNEL_CHUNK_BYTES) {
    const end = offset + TUNNEL_CHUNK_BYTES >= body.length
    frames.push(encodeFrame({ type: dataType, id: head.id, end }, body.subarray(offset, offset + TUNNEL_CHUNK_BYTES)))
  }
  return frames
}

const EMPTY = Buffer.alloc(0)

function checkFrame(frame: TunnelFrame): void {
  const fail = (what: string) => {
    throw new TunnelProtocolError(`${frame.type} frame: ${what}`)
  }
  const isString = (value: unknown) => typeof value === 'string'
  if (frame.type === 'hello') {
    if (!isString(frame.channelId) || !isString(frame.publicUrl)) fail('channel id and public URL must be strings')
    if (!Number.isFinite(frame.heartbeatMs) || !Number.isInteger(frame.queued)) fail('bad heartbeat or queue count')
    return
  }
  if (!isString(frame.id) || frame.id.length === 0 || frame.id.length > 128) fail('bad id')
  if (typeof frame.end !== 'boolean') fail('end must be a boolean')
  if (frame.type === 'request') {
    if (!isString(frame.method) || !isString(frame.target) || !isString(frame.httpVersion) || !isString(frame.publicUrl)) fail('bad request line')
    if (!isHeaderList(frame.headers)) fail('bad headers')
    if (!Number.isFinite(frame.receivedAt) || !Number.isInteger(frame.bodySize) || typeof frame.queued !== 'boolean') fail('bad facts')
  } else if (frame.type === 'response') {
    if (!Number.isInteger(frame.status) || frame.status < 100 || frame.status > 999) fail('bad status')
    if (!isHeaderList(frame.headers)) fail('bad headers')
  }
}

function isHeaderList(value: unknown): value is RawHeader[] {
  return Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string')
}

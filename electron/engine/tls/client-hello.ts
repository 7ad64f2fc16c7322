import type { Socket } from 'node:net'
import type { Server as TlsServer } from 'node:tls'
import type { ClientHelloFacts } from '../../../shared/model/tls'

/**
 * Reads the ClientHello before OpenSSL does. When OpenSSL refuses a handshake (a TLS 1.1 client,
 * no shared cipher) its error says only "unsupported protocol"; the refused connection is still
 * listed, and "the client offered at most TLS 1.1" is what the user needs to see. The bytes are
 * put back (`unshift`) before the TLS socket is created, and Node's TLSSocket feeds data already
 * buffered on the raw socket into the handshake, so the handshake itself is untouched.
 */

const RECORD_HEADER = 5
const HANDSHAKE = 0x16
const CLIENT_HELLO = 0x01
/** One TLS record at most (2^14 bytes plus header and a little slack for expansion). */
const MAX_SNIFF_BYTES = RECORD_HEADER + 16_384 + 2_048

const VERSION_NAMES: Record<number, string> = {
  0x0300: 'SSLv3',
  0x0301: 'TLSv1',
  0x0302: 'TLSv1.1',
  0x0303: 'TLSv1.2',
  0x0304: 'TLSv1.3'
}

/** `TLSv1.1` → `TLS 1.1` (and `TLSv1` → `TLS 1.0`), for sentences. */
export function humanTlsVersion(version: string): string {
  if (version === 'TLSv1') return 'TLS 1.0'
  if (version === 'SSLv3') return 'SSL 3.0'
  return version.replace(/^TLSv/, 'TLS ')
}

/**
 * Parses the first TLS record if it holds a ClientHello; null if it does not look like TLS.
 * Tolerates truncation (a hello split across records): it returns what it could read.
 */
export function parseClientHello(bytes: Buffer): ClientHelloFacts | null {
  if (bytes.length < RECORD_HEADER || bytes[0] !== HANDSHAKE) return null
  const recordLength = bytes.readUInt16BE(3)
  const body = bytes.subarray(RECORD_HEADER, Math.min(bytes.length, RECORD_HEADER + recordLength))
  if (body.length < 1 || body[0] !== CLIENT_HELLO) return null
  const facts: ClientHelloFacts = { maxVersion: null, versions: [], sni: null, alpn: [] }
  const reader = new Reader(body, 4) // skip msg_type(1) and length(3)
  try {
    const legacyVersion = reader.u16()
    facts.versions = [VERSION_NAMES[legacyVersion] ?? `0x${legacyVersion.toString(16)}`]
    facts.maxVersion = facts.versions[0]!
    reader.skip(32) // random
    reader.skip(reader.u8()) // session id
    reader.skip(reader.u16()) // cipher suites
    reader.skip(reader.u8()) // compression methods
    const extensionsEnd = reader.offset + 2 + reader.peekU16()
    reader.skip(2)
    while (reader.offset + 4 <= extensionsEnd) {
      const type = reader.u16()
      const data = reader.take(reader.u16())
      if (type === 0x0000) facts.sni = readServerName(data)
      else if (type === 0x0010) facts.alpn = readAlpn(data)
      else if (type === 0x002b) {
        // supported_versions: when present it supersedes legacy_version (pinned to 1.2 in TLS 1.3).
        const versions = readSupportedVersions(data)
        if (versions.length > 0) {
          facts.versions = versions
          facts.maxVersion = versions[0]!
        }
      }
    }
  } catch {
    // Truncated or malformed: keep what was read.
  }
  return facts
}

function readServerName(data: Buffer): string | null {
  const reader = new Reader(data)
  const end = 2 + reader.u16()
  while (reader.offset < end) {
    const nameType = reader.u8()
    const name = reader.take(reader.u16())
    if (nameType === 0) return name.toString('latin1')
  }
  return null
}

function readAlpn(data: Buffer): string[] {
  const reader = new Reader(data)
  const end = 2 + reader.u16()
  const protocols: string[] = []
  while (reader.offset < end) protocols.push(reader.take(reader.u8()).toString('latin1'))
  return protocols
}

function readSupportedVersions(data: Buffer): string[] {
  const reader = new Reader(data)
  const end = 1 + reader.u8()
  const known: number[] = []
  while (reader.offset + 2 <= end) {
    const version = reader.u16()
    // GREASE values (0x?a?a) are noise by design; unknown future versions are ignored too.
    if (VERSION_NAMES[version]) known.push(version)
  }
  return known.sort((a, b) => b - a).map((version) => VERSION_NAMES[version]!)
}

class Reader {
  constructor(
    private readonly bytes: Buffer,
    public offset = 0
  ) {}

  u8(): number {
    this.need(1)
    return this.bytes[this.offset++]!
  }

  u16(): number {
    const value = this.peekU16()
    this.offset += 2
    return value
  }

  peekU16(): number {
    this.need(2)
    return this.bytes.readUInt16BE(this.offset)
  }

  take(length: number): Buffer {
    this.need(length)
    const slice = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return slice
  }

  skip(length: number): void {
    this.take(length)
  }

  private need(length: number): void {
    if (this.offset + length > this.bytes.length) throw new RangeError('truncated ClientHello')
  }
}

const helloBySocket = new WeakMap<object, ClientHelloFacts>()

export interface ClientHelloSniffer {
  /** Closes raw connections still waiting for their first bytes (call on server close). */
  destroyPending(): void
}

/**
 * Installs the sniffer on a tls/https server before it listens: the server's own 'connection'
 * listeners (TLS setup) run once the first record has arrived, or after `timeoutMs` if it does
 * not (then the TLS layer applies its own handshake timeout).
 */
export function sniffClientHellos(server: TlsServer, options: { timeoutMs?: number } = {}): ClientHelloSniffer {
  const timeoutMs = options.timeoutMs ?? 10_000
  const tlsListeners = server.listeners('connection') as ((socket: Socket) => void)[]
  const pending = new Set<Socket>()
  server.removeAllListeners('connection')
  server.on('connection', (raw: Socket) => {
    let buffered: Buffer = Buffer.alloc(0)
    let done = false
    const finish = (handOver: boolean) => {
      if (done) return
      done = true
      pending.delete(raw)
      clearTimeout(timer)
      raw.off('data', onData)
      raw.off('end', onEnd)
      raw.off('error', onError)
      if (!handOver || raw.destroyed) {
        raw.destroy()
        return
      }
      raw.pause()
      if (buffered.length > 0) {
        const hello = parseClientHello(buffered)
        if (hello) helloBySocket.set(raw, hello)
        raw.unshift(buffered)
      }
      for (const listener of tlsListeners) listener.call(server, raw)
    }
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk])
      const complete =
        buffered[0] !== HANDSHAKE ||
        (buffered.length >= RECORD_HEADER && buffered.length >= RECORD_HEADER + buffered.readUInt16BE(3)) ||
        buffered.length >= MAX_SNIFF_BYTES
      if (complete) finish(true)
    }
    // A client that hangs up or fails before its hello completed cannot complete a handshake.
    const onEnd = () => finish(false)
    const onError = () => finish(false)
    const timer = setTimeout(() => finish(true), timeoutMs)
    pending.add(raw)
    raw.on('data', onData)
    raw.once('end', onEnd)
    raw.once('error', onError)
  })
  return {
    destroyPending() {
      for (const raw of pending) raw.destroy()
      pending.clear()
    }
  }
}

/**
 * The ClientHello seen on the connection under `socket` (the TLSSocket from 'secureConnection'
 * or 'tlsClientError'). Relies on TLSSocket keeping its raw socket as `_parent`, which Node has
 * done since TLS moved to C++; if that ever changes this returns undefined and sentences fall
 * back to their generic form.
 */
export function clientHelloOf(socket: object | null | undefined): ClientHelloFacts | undefined {
  if (!socket) return undefined
  const parent = (socket as { _parent?: object | null })._parent
  return (parent && helloBySocket.get(parent)) ?? helloBySocket.get(socket)
}

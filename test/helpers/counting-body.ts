/**
 * A request body that counts the bytes code reads of it, so "detection reads only the first bytes"
 * is observable without timing anything. It is a Proxy over a real Buffer:
 * - an indexed read (`body[i]`) counts 1 byte;
 * - a Buffer method counts the bytes it covers: `toString(enc, start, end)` its range, `subarray` /
 *   `slice` nothing (their result is counted the same way, on the same tally), `includes` /
 *   `indexOf` from their byte offset to the end, anything else (`equals`, iteration...) the whole length;
 * - `length` and the other properties count nothing.
 * Native code that takes the whole body as an argument (`isUtf8`, `createHash().update`,
 * `TextDecoder.decode`, `Buffer.concat`) refuses a Proxy with a TypeError: such a read fails loudly
 * instead of going uncounted. A test that lets some native reads through (hashing the body, which
 * verification must do) wraps them itself, counting them and passing `realBytes(value)` on.
 */
export interface BodyTally {
  bytes: number
  /** Bytes counted by what read them (`index`, `includes`, `toString`...), to say in a failure what read the body. */
  reads: Record<string, number>
}

/** `includes 10485760, index 64`: what read the body, for a failure message. */
export function describeReads(tally: BodyTally): string {
  return Object.entries(tally.reads)
    .map(([name, bytes]) => `${name} ${bytes}`)
    .join(', ')
}

/** Each counting body's real Buffer, for `realBytes`. */
const realBuffers = new WeakMap<object, Buffer>()

/** The Buffer behind a counting body (or a part of one); any other value as it is. */
export function realBytes<T>(value: T): T | Buffer {
  return (typeof value === 'object' && value !== null && realBuffers.get(value)) || value
}

export function countingBody(bytes: Buffer, tally: BodyTally = { bytes: 0, reads: {} }): { body: Buffer; tally: BodyTally } {
  const count = (name: string, n: number) => {
    tally.bytes += n
    // Own properties only: `reads.toString` would otherwise start from Object.prototype's function.
    tally.reads[name] = (Object.hasOwn(tally.reads, name) ? tally.reads[name]! : 0) + n
  }
  const body = new Proxy(bytes, {
    get(target, property) {
      if (typeof property === 'string' && /^\d+$/.test(property)) {
        count('index', 1)
        return target[Number(property)]
      }
      // Accessors (length, byteOffset...) run against the real buffer: a typed array's getters refuse a Proxy receiver.
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      const name = typeof property === 'symbol' ? property.toString() : property
      return (...args: unknown[]) => {
        if (name === 'subarray' || name === 'slice') {
          return countingBody((value as (...a: unknown[]) => Buffer).apply(target, args), tally).body
        }
        if (name === 'toString') {
          const start = typeof args[1] === 'number' ? Math.max(0, args[1]) : 0
          const end = typeof args[2] === 'number' ? Math.min(target.length, args[2]) : target.length
          count(name, Math.max(0, end - start))
        } else if ((name === 'includes' || name === 'indexOf') && typeof args[1] === 'number' && args[1] >= 0) {
          count(name, Math.max(0, target.length - args[1]))
        } else {
          count(name, target.length)
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    }
  })
  realBuffers.set(body, bytes)
  return { body, tally }
}

/** Below this a body arrives in one or two chunks: nothing to gain from allocating ahead. */
const PREALLOCATE_MIN_BYTES = 64 * 1024

/**
 * Gathers a request body as it arrives. When the sender declared its length (webhook senders do),
 * the bytes are copied chunk by chunk into one buffer of that size, allocated up front: there is
 * no copy of the whole body at the end, which for 10 MiB stalls the thread that answers every
 * other sender for tens of milliseconds, and the result owns its memory, so the capture worker
 * takes it without another copy (worker-store.ts transfers it).
 */
export class BodyCollector {
  private target: Buffer | null
  private chunks: Buffer[] = []
  private size = 0

  /** `expected`: the declared length, capped at what will be kept; 0 when unknown. */
  constructor(expected: number) {
    // Never read before it is written: body() returns only the bytes that arrived.
    this.target = expected >= PREALLOCATE_MIN_BYTES ? Buffer.allocUnsafeSlow(expected) : null
  }

  get length(): number {
    return this.size
  }

  add(piece: Buffer): void {
    if (this.target && this.size + piece.length <= this.target.length) {
      piece.copy(this.target, this.size)
    } else {
      // More than declared cannot happen over HTTP/1.1 (the parser holds senders to it); kept simple anyway.
      if (this.target) this.chunks.push(this.target.subarray(0, this.size))
      this.target = null
      this.chunks.push(piece)
    }
    this.size += piece.length
  }

  /** Lets go of everything kept so far (the body will not be stored). */
  drop(): void {
    this.target = null
    this.chunks = []
    this.size = 0
  }

  body(): Buffer {
    if (this.target) return this.size === this.target.length ? this.target : this.target.subarray(0, this.size)
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size)
  }
}

/**
 * How much work a decoder or pretty-printer may do on one body. Bodies are attacker-controlled and
 * up to 256 MiB: every formatter takes a budget and, when it runs out, stops cleanly and says how
 * far it got (a Cutoff) instead of throwing, blowing the stack or blocking for seconds.
 */
export interface Budget {
  /** Bytes of the body looked at; the rest is left out. */
  maxInputBytes: number
  /** Rows, fields, parts or nodes produced. */
  maxItems: number
  /** Nesting followed (JSON containers, XML indentation). */
  maxDepth: number
  /** Wall-clock time, checked every few thousand steps. */
  maxMillis: number
}

export type BudgetLimit = 'input' | 'items' | 'depth' | 'time'

/** What a cutoff's `at` counts. */
export type CutoffUnit = 'bytes' | 'lines' | 'nodes' | 'fields' | 'parts' | 'levels' | 'ms'

/**
 * Where a formatter stopped: it ran out of `limit` after `at` `unit`s (the first 16 MiB, 2,000,000
 * lines, 500 levels...). Data, not prose: the view words it ("Shown up to ...").
 */
export interface Cutoff {
  limit: BudgetLimit
  at: number
  unit: CutoffUnit
}

/** Time source injected by the caller (performance.now in the browser, a fake in tests). */
export type Clock = () => number

/** Checks the time only every `stride` calls: reading the clock per step would cost more than the step. */
export class Deadline {
  private calls = 0
  private expired = false
  private readonly endsAt: number

  constructor(
    private readonly clock: Clock,
    maxMillis: number,
    private readonly stride = 4096
  ) {
    this.endsAt = clock() + maxMillis
  }

  /** True once the time is up (sticky). */
  passed(): boolean {
    if (this.expired) return true
    if (++this.calls % this.stride !== 0) return false
    this.expired = this.clock() > this.endsAt
    return this.expired
  }
}

/** An Int32Array that grows by doubling: row and node tables of unknown final size, without a JS array per entry. */
export class IntColumn {
  private data: Int32Array
  length = 0

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity)
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = value
  }

  set(index: number, value: number): void {
    this.data[index] = value
  }

  get(index: number): number {
    return this.data[index]!
  }

  /** A right-sized copy (transferable to the page). */
  toArray(): Int32Array<ArrayBuffer> {
    return this.data.slice(0, this.length)
  }
}

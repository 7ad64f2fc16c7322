import type { Clock, Cutoff } from './budget'
import { Deadline, IntColumn } from './budget'

/**
 * Text cut into rows for a windowed view: the text once, and where each row starts. Nothing is
 * copied per row, so a 10 MiB body with 600,000 lines is one string and one Int32Array.
 */
export interface LineDoc {
  text: string
  /**
   * Start of each row in `text`, then one entry more: `text.length + 1`. Row i is
   * `text.slice(starts[i], starts[i + 1] - 1)` (the '\n' that ends it left out).
   */
  starts: Int32Array<ArrayBuffer>
  /** Indentation level per row (XML), or null. */
  depths: Uint16Array<ArrayBuffer> | null
  cutoff: Cutoff | null
}

export function rowCount(doc: Pick<LineDoc, 'starts'>): number {
  return doc.starts.length - 1
}

export function rowText(doc: Pick<LineDoc, 'text' | 'starts'>, row: number): string {
  return doc.text.slice(doc.starts[row]!, doc.starts[row + 1]! - 1)
}

/** Rows at '\n'. Past `maxRows` (or the time), the text is cut after the last row kept. */
export function splitLines(text: string, limits: { maxRows: number; maxMillis: number }, clock: Clock): LineDoc {
  const starts = new IntColumn()
  const deadline = new Deadline(clock, limits.maxMillis, 256)
  starts.push(0)
  let pos = 0
  for (;;) {
    const newline = text.indexOf('\n', pos)
    if (newline < 0) return { text, starts: withEnd(starts, text.length), depths: null, cutoff: null }
    const cutoff: Cutoff | null =
      starts.length >= limits.maxRows
        ? { limit: 'items', at: starts.length, unit: 'lines' }
        : deadline.passed()
          ? { limit: 'time', at: limits.maxMillis, unit: 'ms' }
          : null
    // The rows so far are complete: the text ends where the last one does.
    if (cutoff) return { text: text.slice(0, newline), starts: withEnd(starts, newline), depths: null, cutoff }
    pos = newline + 1
    starts.push(pos)
  }
}

function withEnd(starts: IntColumn, textLength: number): Int32Array<ArrayBuffer> {
  starts.push(textLength + 1)
  return starts.toArray()
}

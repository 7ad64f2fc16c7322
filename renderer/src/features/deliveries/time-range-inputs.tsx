import type { TimeFilter } from '../../stores/delivery-filter'

type Range = Extract<TimeFilter, { from: number | null }>

const pad = (n: number) => String(n).padStart(2, '0')

/** `datetime-local` speaks local wall-clock text; the filter keeps epoch milliseconds. */
export function toLocalInput(ms: number | null): string {
  if (ms === null) return ''
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function fromLocalInput(text: string): number | null {
  if (text === '') return null
  const ms = new Date(text).getTime()
  return Number.isFinite(ms) ? ms : null
}

/** From (inclusive) and to (exclusive), local time to the minute. */
export function TimeRangeInputs({ range, onChange }: { range: Range; onChange: (range: Range) => void }) {
  return (
    <>
      <label>
        <span>From</span>
        <input
          type="datetime-local"
          data-testid="time-from"
          value={toLocalInput(range.from)}
          onChange={(event) => onChange({ ...range, from: fromLocalInput(event.target.value) })}
        />
      </label>
      <label>
        <span>Until</span>
        <input
          type="datetime-local"
          data-testid="time-to"
          value={toLocalInput(range.to)}
          onChange={(event) => onChange({ ...range, to: fromLocalInput(event.target.value) })}
        />
      </label>
    </>
  )
}

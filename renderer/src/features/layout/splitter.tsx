import { type KeyboardEvent, type PointerEvent, useRef } from 'react'

interface SplitterProps {
  label: string
  testId: string
  /** Width of the pane on the splitter's left, in px. */
  value: number
  min: number
  max: number
  onChange: (width: number) => void
  /** Double-click: back to the default width. */
  onReset: () => void
}

const KEY_STEP = 16

/** A vertical divider that resizes the pane to its left: drag it, or focus it and use ←/→. */
export function Splitter({ label, testId, value, min, max, onChange, onReset }: SplitterProps) {
  const drag = useRef<{ startX: number; startValue: number } | null>(null)
  const set = (width: number) => onChange(Math.min(max, Math.max(min, width)))

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    event.preventDefault()
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = { startX: event.clientX, startValue: value }
  }
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return
    set(Math.round(drag.current.startValue + event.clientX - drag.current.startX))
  }
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    drag.current = null
    if (event.currentTarget.hasPointerCapture(event.pointerId)) event.currentTarget.releasePointerCapture(event.pointerId)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowLeft' ? -KEY_STEP : event.key === 'ArrowRight' ? KEY_STEP : 0
    if (step === 0) return
    event.preventDefault()
    set(value + step)
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable window splitter (the ARIA separator widget, with a value); <hr> is the static separator
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      className="splitter"
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      onDoubleClick={onReset}
    />
  )
}

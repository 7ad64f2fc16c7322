import { type ReactNode, useEffect } from 'react'

/** A dialog over the page; Escape or the × closes it. */
export function Modal({ title, onClose, testId, children }: { title: string; onClose(): void; testId: string; children: ReactNode }) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
        <header className="modal-header">
          <h2>{title}</h2>
          <span className="spacer" />
          <button type="button" className="btn-link" onClick={onClose} aria-label="Close" data-testid={`${testId}-close`}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
      </div>
    </div>
  )
}

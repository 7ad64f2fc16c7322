/**
 * A small padlock, drawn (no icon font, no emoji: both depend on the fonts installed). Named by
 * aria-label only: an SVG <title> would end up in the row's text (copy, textContent).
 */
export function LockIcon({ title = 'Arrived over TLS', testId }: { title?: string; testId?: string }) {
  return (
    <svg className="lock-icon" viewBox="0 0 10 12" width="10" height="12" role="img" aria-label={title} data-testid={testId}>
      <path d="M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <rect x="0.75" y="5" width="8.5" height="6.25" rx="1.2" fill="currentColor" />
    </svg>
  )
}

interface ErrorBannerProps {
  message: string
  onDismiss?: () => void
  testId: string
}

export function ErrorBanner({ message, onDismiss, testId }: ErrorBannerProps) {
  return (
    <div className="error-banner" role="alert" data-testid={testId}>
      <span className="error-text">{message}</span>
      {onDismiss && (
        <button type="button" className="btn-link" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  )
}

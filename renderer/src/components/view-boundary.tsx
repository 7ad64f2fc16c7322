import type { ReactNode } from 'react'
import { ErrorBoundary } from 'react-error-boundary'
import { logViewFailure } from '../lib/view-failure-log'
import { RevealedText } from './revealed-text'

const MAX_MESSAGE = 300

interface ViewBoundaryProps {
  /** What failed, for the log and the message: "XML view", "Signature panel", "list pane". */
  view: string
  /** The delivery on screen, if any: logged with the failure, and a new one resets the boundary. */
  deliveryId?: string | null
  /** The sentence before the error's message. */
  failure?: string
  children: ReactNode
}

/**
 * Contains a render failure to one view: it shows a short message in place of the view, and
 * everything around it (the other tabs, the raw bytes, the list, the live stream) keeps working.
 */
export function ViewBoundary({ view, deliveryId = null, failure = 'This view could not show this body', children }: ViewBoundaryProps) {
  return (
    <ErrorBoundary
      resetKeys={[deliveryId]}
      onError={(error) => logViewFailure(view, deliveryId, error)}
      fallbackRender={({ error, resetErrorBoundary }) => {
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
        return (
          <div className="notice view-failed" role="alert" data-testid="view-failed" data-view={view}>
            {failure}: <RevealedText text={message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) + '…' : message} />.{' '}
            <button type="button" className="btn-link" onClick={resetErrorBoundary}>
              Try again
            </button>
          </div>
        )
      }}
    >
      {children}
    </ErrorBoundary>
  )
}

/**
 * Logs a view that failed, once per view and delivery, with the delivery id and the error's
 * name only: an error message can quote the payload (JSON.parse does), and payloads stay out of
 * logs. The on-screen fallback shows the message; the log is for noticing that it happened.
 */
export function createViewFailureLog(write: (line: string) => void, maxRemembered = 1000) {
  const seen = new Set<string>()
  return (view: string, deliveryId: string | null, error: unknown): void => {
    const key = `${view}\u0000${deliveryId ?? ''}`
    if (seen.has(key)) return
    if (seen.size >= maxRemembered) seen.clear()
    seen.add(key)
    const name = error instanceof Error ? error.name : typeof error
    write(`Hookscope: the ${view} failed${deliveryId ? ` on delivery ${deliveryId}` : ''} (${name})`)
  }
}

/** The page's log: the browser console. */
export const logViewFailure = createViewFailureLog((line) => console.error(line))

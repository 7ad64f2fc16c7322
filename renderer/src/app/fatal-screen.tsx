/** The one full-page message when the app cannot run: no token, a refused token, a tab from an earlier run. */
export function FatalScreen({ message, reason = 'startup' }: { message: string; reason?: string }) {
  return (
    <div className="fatal" data-testid="fatal-screen" data-reason={reason} role="alert">
      <h1>Hookscope</h1>
      <p>{message}</p>
    </div>
  )
}

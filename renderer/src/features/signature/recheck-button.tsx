import { useState } from 'react'
import { useDeliveries } from '../../app/services-context'

/** Recomputes the verdict with the keyring as it is now; the engine's reason shows inline on failure. */
export function RecheckButton({ deliveryId }: { deliveryId: string }) {
  const recheck = useDeliveries((s) => s.recheck)
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null })

  const run = async () => {
    setState({ busy: true, error: null })
    const outcome = await recheck(deliveryId)
    setState({ busy: false, error: outcome.ok ? null : outcome.error })
  }

  return (
    <span className="recheck">
      <button type="button" className="btn btn-small" data-testid="recheck" disabled={state.busy} onClick={() => void run()}>
        {state.busy ? 'Checking…' : 'Re-check'}
      </button>
      {state.error && (
        <span className="field-error" role="alert" data-testid="recheck-error">
          {state.error}
        </span>
      )}
    </span>
  )
}

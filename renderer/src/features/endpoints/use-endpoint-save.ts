import { useState } from 'react'
import { useEndpoints } from '../../app/services-context'
import type { EndpointPatch } from '../../stores/endpoints-store'

/**
 * The save step shared by the endpoint forms: marks the form as attempted (so field errors show),
 * sends the patch when the draft is valid, closes on success, keeps the engine's sentence on failure.
 */
export function useEndpointSave(endpointId: string, onClose: () => void) {
  const update = useEndpoints((s) => s.update)
  const [attempted, setAttempted] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  /** `patch` is null when the draft has errors: only the field errors are shown then. */
  const save = async (patch: EndpointPatch | null): Promise<void> => {
    setAttempted(true)
    if (patch === null || busy) return
    setBusy(true)
    setError(null)
    const outcome = await update(endpointId, patch)
    setBusy(false)
    if (outcome.ok) onClose()
    else setError(outcome.error)
  }

  return { attempted, busy, error, save }
}

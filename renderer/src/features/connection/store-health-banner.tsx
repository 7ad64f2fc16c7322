import { useStoreHealth } from '../../app/services-context'

/** Says so when the store cannot take deliveries (full disk, damage...): capture answers 503 meanwhile. */
export function StoreHealthBanner() {
  const health = useStoreHealth((s) => s.health)
  if (!health || health.state === 'ok') return null
  return (
    <div className="error-banner" role="alert" data-testid="store-health" data-state={health.state}>
      <strong>Store {health.state}:</strong> {health.detail}
    </div>
  )
}

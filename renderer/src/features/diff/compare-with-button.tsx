import { useDiff, useNavigation } from '../../app/services-context'

/** "Compare with…": opens the Compare page with this delivery on the left, the right one to choose. */
export function CompareWithButton({ deliveryId }: { deliveryId: string }) {
  const startFrom = useDiff((s) => s.startFrom)
  const go = useNavigation((s) => s.go)
  return (
    <button
      type="button"
      className="btn"
      data-testid="compare-with"
      title="Compare this delivery with another one (headers and a JSON-aware body diff)"
      onClick={() => {
        startFrom(deliveryId)
        go('compare')
      }}
    >
      Compare with…
    </button>
  )
}

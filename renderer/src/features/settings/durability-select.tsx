import { useState } from 'react'
import { DURABILITY_LEVELS, type Durability } from '../../../../shared/model/durability'
import { useSettings } from '../../app/services-context'

const LABELS: Record<Durability, { label: string; title: string }> = {
  crash: {
    label: 'crash-safe',
    title: 'A delivery is acknowledged once committed: it survives Hookscope being killed; an OS crash or power cut may lose the last second.'
  },
  fsync: { label: 'power-safe', title: 'A delivery is acknowledged once it is on disk (fsync): it survives a power cut. Slower.' }
}

/** The data folder's durability level: when senders get their answer (README: "What capture guarantees"). */
export function DurabilitySelect() {
  const settings = useSettings((s) => s.settings)
  const saving = useSettings((s) => s.saving)
  const setDurability = useSettings((s) => s.setDurability)
  const [error, setError] = useState<string | null>(null)
  if (!settings) return null
  const change = async (level: Durability) => {
    setError(null)
    const outcome = await setDurability(level)
    if (!outcome.ok) setError(outcome.error)
  }
  return (
    <label className="durability-select small" title={LABELS[settings.durability].title}>
      <span className="muted">Acknowledge deliveries</span>{' '}
      <select data-testid="durability-select" value={settings.durability} disabled={saving} onChange={(event) => void change(event.target.value as Durability)}>
        {DURABILITY_LEVELS.map((level) => (
          <option key={level} value={level} title={LABELS[level].title}>
            {LABELS[level].label} ({level})
          </option>
        ))}
      </select>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </label>
  )
}

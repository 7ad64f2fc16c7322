import type { TimePreset } from '../../stores/delivery-filter'

export const TIME_PRESET_LABELS: Record<TimePreset, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
  today: 'Today',
  '7d': 'Last 7 days'
}

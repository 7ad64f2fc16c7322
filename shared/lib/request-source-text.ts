import type { RequestSource } from '../model/delivery'

/**
 * How a delivery reached Hookscope, in one line of plain text for the inspector; null for a local
 * listener (the usual case says nothing). The public URL is the sender's: shown as text, never a link.
 */
export function describeRequestSource(source: RequestSource): string | null {
  if (source.kind === 'listener') return null
  if (source.provider === 'smee') {
    const hint = source.reserialized ? ' — JSON re-serialised by smee, signatures over raw bytes cannot match' : ''
    return `via smee ${source.publicUrl}${hint}`
  }
  return `via tunnel (hookscope relay) ${source.publicUrl}`
}

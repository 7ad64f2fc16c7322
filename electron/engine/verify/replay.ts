import type { Verdict } from '../../../shared/model/verdict'

/**
 * Only a delivery whose signature held can be a replay worth flagging: anyone can resend a
 * forged id, but a valid signature on a second delivery with the same sender id is a replay.
 */
export function replayKey(verdict: Verdict | null): { scheme: string; senderId: string } | null {
  if (!verdict?.deliveryId || !verdict.scheme) return null
  if (verdict.status !== 'valid' && verdict.status !== 'decrypted') return null
  return { scheme: verdict.scheme, senderId: verdict.deliveryId }
}

export function markDuplicate(verdict: Verdict, firstDelivery: string): Verdict {
  return {
    ...verdict,
    status: 'invalid',
    code: 'DUPLICATE_DELIVERY',
    duplicateOf: firstDelivery,
    summary: `Replay: the signature is valid, but delivery id ${verdict.deliveryId} already arrived (delivery ${firstDelivery}).`,
    steps: [...verdict.steps, { label: 'Delivery id', ok: false, detail: `seen before in ${firstDelivery}` }]
  }
}

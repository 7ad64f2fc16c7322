import type { DeliveryRecord } from '../../electron/engine/store/delivery-record'

let counter = 0

/** A stored-delivery record with sensible defaults; tests override what they check. */
export function makeRecord(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  counter += 1
  return {
    id: `rec${String(counter).padStart(8, '0')}`,
    endpointId: 'ep',
    receivedAt: 1_700_000_000_000 + counter,
    durationMs: 1,
    method: 'POST',
    url: `/path/${counter}`,
    httpVersion: '1.1',
    headers: [['Host', 'example.test']],
    contentType: 'application/json',
    body: Buffer.from('{}'),
    bodySize: 2,
    truncated: false,
    responseStatus: 200,
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    tls: null,
    verdict: null,
    ...overrides
  }
}

import { DeliveriesReader } from '../../electron/engine/store/deliveries-reader'
import { DeliveriesWriter } from '../../electron/engine/store/deliveries-writer'
import type { SqliteDatabase } from '../../electron/engine/store/open-database'
import type { NewDelivery } from '../../electron/engine/store/stored-delivery'

let counter = 0

/**
 * A delivery as the capture pipeline hands it to the store, with sensible defaults; tests override
 * what they check (`responseStatus` sets the status of the recorded answer).
 */
export function makeDelivery(overrides: Partial<NewDelivery> & { responseStatus?: number } = {}): NewDelivery {
  counter += 1
  const { responseStatus, ...rest } = overrides
  return {
    id: `rec${String(counter).padStart(8, '0')}`,
    endpointId: 'ep',
    receivedAt: 1_700_000_000_000 + counter,
    durationMs: 1,
    method: 'POST',
    url: `/path/${counter}`,
    httpVersion: '1.1',
    headers: [['Host', 'example.test']],
    trailers: [],
    body: Buffer.from('{}'),
    bodySize: 2,
    truncated: false,
    remoteAddress: '127.0.0.1',
    remotePort: 50000,
    tls: null,
    source: { kind: 'listener' },
    response: { status: responseStatus ?? 200, headers: [], body: Buffer.from('{}'), bodyTruncated: false },
    verdict: null,
    ...rest
  }
}

/**
 * The writer's and the reader's side of one store, on one connection (the engine uses two: the
 * capture worker's and the API's), for tests of the SQL itself.
 */
export function deliveriesOn(db: SqliteDatabase) {
  const writer = new DeliveriesWriter(db)
  const reader = new DeliveriesReader(db)
  return {
    insertMany: (deliveries: NewDelivery[]) =>
      db.transaction(() => {
        for (const delivery of deliveries) writer.insert(delivery)
      })(),
    list: reader.list.bind(reader),
    counts: reader.counts.bind(reader),
    facets: reader.facets.bind(reader),
    get: reader.get.bind(reader),
    iterate: reader.iterate.bind(reader),
    delete: writer.delete.bind(writer),
    clear: writer.clear.bind(writer),
    totals: writer.totals.bind(writer),
    evict: writer.evict.bind(writer),
    backfillEventTypes: writer.backfillEventTypes.bind(writer)
  }
}

import type { EngineClient, EngineEvent } from '../../../../shared/api/contract'
import { createResponseDiffStore, type ResponseDiffStore } from '../diff/response-diff-store'
import { type BulkReplayStore, createBulkReplayStore } from '../replay/bulk-replay-store'
import { createReplayStore, type ReplayStore } from '../replay/replay-store'
import { createSigningStore, type SigningStore } from '../replay/signing-store'
import { createSenderStore, type SenderStore } from '../sender/sender-store'
import { type AttemptsStore, createAttemptsStore } from './attempts-store'
import { createForwardingStore, type ForwardingStore } from './forwarding-store'

/** The relay UI's stores (forwarding rules, attempts, replay, the sender), built on one client. */
export interface RelayServices {
  forwarding: ForwardingStore
  attempts: AttemptsStore
  replay: ReplayStore
  bulkReplay: BulkReplayStore
  signing: SigningStore
  sender: SenderStore
  responseDiff: ResponseDiffStore
  handleEvent(event: EngineEvent): void
}

export function createRelayServices(client: EngineClient): RelayServices {
  const forwarding = createForwardingStore(client)
  const attempts = createAttemptsStore(client)
  const bulkReplay = createBulkReplayStore(client)
  const signing = createSigningStore(client)
  const sender = createSenderStore(client)
  return {
    forwarding,
    attempts,
    replay: createReplayStore(client, { forwarding }),
    bulkReplay,
    signing,
    sender,
    responseDiff: createResponseDiffStore(client),
    handleEvent(event) {
      forwarding.getState().handleEvent(event)
      attempts.getState().handleEvent(event)
      bulkReplay.getState().handleEvent(event)
      signing.getState().handleEvent(event)
      sender.getState().handleEvent(event)
    }
  }
}

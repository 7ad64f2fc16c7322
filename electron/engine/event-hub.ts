import type { EngineEvent } from '../../shared/api/contract'
import type { Logger } from './engine-types'

/** Fan-out of engine events. A listener that throws is logged and does not stop the others. */
export class EventHub {
  private readonly listeners = new Set<(event: EngineEvent) => void>()

  constructor(private readonly logger: Logger) {}

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (error) {
        this.logger.error('event listener failed', { event: event.type, error: (error as Error).message })
      }
    }
  }
}

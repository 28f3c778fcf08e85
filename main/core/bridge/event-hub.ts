import type { EventName, EventPayload } from '../../../preload/contract.js';

type Listener = (event: EventName, payload: unknown) => void;

/** Fan-out of contract events from the daemon to every transport that carries them. */
export class EventHub {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

import type { EventName, EventPayload } from '../../../preload/contract.js';

/**
 * One UI attached to the daemon (a WebSocket, an Electron window). Broadcast events reach every
 * connection through the EventHub; a connection also receives events aimed at it alone, such as the
 * output stream of a terminal it attached to, and says when it goes away so that state can be freed.
 */
export interface Connection {
  readonly id: string;
  readonly kind: 'websocket' | 'ipc' | 'internal';
  send<E extends EventName>(event: E, payload: EventPayload<E>): void;
  onClose(listener: () => void): () => void;
}

/** The caller for calls made inside the daemon itself (tests, the CLI in-process): no stream target. */
export const INTERNAL_CONNECTION: Connection = {
  id: 'internal',
  kind: 'internal',
  send: () => undefined,
  onClose: () => () => undefined,
};

let counter = 0;

/** A connection over some transport, with its close listeners. */
export function createConnection(
  kind: Connection['kind'],
  send: (event: EventName, payload: unknown) => void,
): Connection & { close(): void } {
  const closeListeners = new Set<() => void>();
  let closed = false;
  counter += 1;
  return {
    id: `${kind}-${counter}`,
    kind,
    send: (event, payload) => {
      if (!closed) send(event, payload);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      for (const listener of closeListeners) listener();
      closeListeners.clear();
    },
  };
}

import type { EventName, EventPayload, RelayApi } from '../../../preload/contract';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

/** The contract as the UI uses it, over whichever transport the host provides. */
export interface Bridge extends RelayApi {
  readonly transport: 'ipc' | 'websocket';
  connection(): ConnectionState;
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** A failed call, with the daemon's code (`invalid_args`, `disconnected`, …) and a readable message. */
export class BridgeCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeCallError';
  }
}

export type { EventName, EventPayload };

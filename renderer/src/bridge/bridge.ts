import type { EventName, EventPayload, RelayApi, TerminalOutput } from '../../../preload/contract';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unauthorized';

/**
 * Terminal output as the page's transports deliver it: the bytes as UTF-8 (a binary WebSocket frame,
 * or bytes over Electron IPC) for xterm to decode, with `chars`, their length as a string, which is
 * what `terminal.ack` counts.
 */
export interface TerminalChunk {
  readonly name: string;
  readonly seq: number;
  readonly data: string | Uint8Array;
  readonly chars?: number;
}

/** Event payloads as the page receives them. */
export type PageEventPayload<E extends EventName> = E extends 'terminal.output' ? TerminalChunk : EventPayload<E>;

/** The contract as the UI uses it, over whichever transport the host provides. */
export interface Bridge extends Omit<RelayApi, 'on'> {
  on<E extends EventName>(event: E, listener: (payload: PageEventPayload<E>) => void): () => void;
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

export type { EventName, EventPayload, TerminalOutput };

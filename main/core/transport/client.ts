import WebSocket from 'ws';
import type {
  EventName,
  EventPayload,
  MethodArgs,
  MethodName,
  MethodResult,
  RelayApi,
  WsServerFrame,
} from '../../../preload/contract.js';
import { BridgeError } from '../bridge/errors.js';
import { WS_PATH } from './server.js';
import { decodeTerminalFrame } from './terminal-frame.js';

export interface NodeClient extends RelayApi {
  close(): void;
}

/** A Node-side client of the daemon's WebSocket (the CLI, tests). Authenticates with a bearer header. */
export function connectClient(baseUrl: string, token: string): Promise<NodeClient> {
  const url = new URL(WS_PATH, baseUrl.replace(/^http/, 'ws'));
  url.hash = '';
  const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      const output = decodeTerminalFrame(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer));
      if (output) for (const listener of listeners.get('terminal.output') ?? []) listener(output);
      return;
    }
    const frame = JSON.parse(String(data)) as WsServerFrame;
    if (frame.type === 'event') {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
      return;
    }
    if (frame.id === null) return;
    const waiter = pending.get(frame.id);
    if (!waiter) return;
    pending.delete(frame.id);
    if (frame.ok) waiter.resolve(frame.value);
    else waiter.reject(new BridgeError(frame.error.code, frame.error.message));
  });
  ws.on('close', () => {
    for (const waiter of pending.values()) waiter.reject(new BridgeError('disconnected', 'The daemon closed the connection.'));
    pending.clear();
  });

  const client: NodeClient = {
    call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>> {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ type: 'call', id, method, args }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    close: () => ws.close(),
  };

  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      const code = res.statusCode === 401 ? 'unauthorized' : 'forbidden';
      reject(new BridgeError(code, `The daemon refused the connection (HTTP ${res.statusCode}).`));
      ws.terminate();
    });
    ws.once('error', (error) => reject(new BridgeError('disconnected', `Could not reach the daemon at ${baseUrl}: ${error.message}`)));
  });
}

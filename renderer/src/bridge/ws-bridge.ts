import type { EventName, MethodArgs, MethodName, MethodResult, WsServerFrame } from '../../../preload/contract';
import { BridgeCallError, type Bridge, type ConnectionState } from './bridge';
import { decodeTerminalFrame } from './terminal-frame';

interface Pending {
  frame: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  sent: boolean;
}

const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

/**
 * The headless transport: the contract over a WebSocket to the page's own origin (the session cookie
 * set from the dashboard link authenticates it). Reconnects with backoff when the daemon restarts;
 * calls made while disconnected wait, calls in flight when the line drops fail with `disconnected`.
 */
export function createWsBridge(url = defaultUrl()): Bridge {
  let socket: WebSocket | undefined;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const flush = () => {
    for (const entry of pending.values()) {
      if (!entry.sent && socket?.readyState === WebSocket.OPEN) {
        socket.send(entry.frame);
        entry.sent = true;
      }
    }
  };

  const connect = () => {
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      flush();
    };
    ws.onmessage = (message) => {
      if (message.data instanceof ArrayBuffer) {
        // Terminal output: a binary frame, its bytes handed to xterm as they are.
        const output = decodeTerminalFrame(message.data);
        if (output) for (const listener of listeners.get('terminal.output') ?? []) listener(output);
        return;
      }
      let frame: WsServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as WsServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'event') {
        for (const listener of listeners.get(frame.event) ?? []) listener(frame.payload);
        return;
      }
      if (frame.id === null) return;
      const entry = pending.get(frame.id);
      if (!entry) return;
      pending.delete(frame.id);
      if (frame.ok) entry.resolve(frame.value);
      else entry.reject(new BridgeCallError(frame.error.code, frame.error.message));
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      for (const [id, entry] of pending) {
        if (!entry.sent) continue;
        pending.delete(id);
        entry.reject(new BridgeCallError('disconnected', 'The connection to Agent Relay dropped before it answered.'));
      }
      void scheduleReconnect();
    };
  };

  const scheduleReconnect = async () => {
    setState(state === 'connecting' && attempt === 0 ? 'connecting' : 'reconnecting');
    // A refused upgrade looks like any other close in a browser: ask the server whether the session
    // is still valid, so a restarted daemon with a new token says so instead of retrying forever.
    if (attempt > 0) {
      try {
        const res = await fetch(new URL('/', location.href), { method: 'HEAD', credentials: 'same-origin' });
        if (res.status === 401) {
          setState('unauthorized');
          return;
        }
      } catch {
        // Daemon not up yet: keep trying.
      }
    }
    const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    setState('reconnecting');
    setTimeout(connect, delay);
  };

  connect();

  return {
    transport: 'websocket',
    call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>> {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        const entry: Pending = {
          frame: JSON.stringify({ type: 'call', id, method, args }),
          resolve: resolve as (value: unknown) => void,
          reject,
          sent: false,
        };
        pending.set(id, entry);
        flush();
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event as EventName, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    connection: () => state,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },
  };
}

function defaultUrl(): string {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  return url.href;
}

import { IPC_EVENT_CHANNEL, ipcChannel, methodNames, type Reply } from '../../preload/contract.js';
import { createConnection, type Connection } from '../core/bridge/connection.js';
import type { Logger } from '../core/logging/logger.js';
import type { BridgeEndpoint } from '../core/bridge/endpoint.js';
import { isAppRendererUrl } from './renderer-location.js';

/** The part of Electron's ipcMain the adapter uses, so it can be driven without Electron. */
export interface IpcMainLike<E> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<Reply>): void;
  removeHandler(channel: string): void;
}

/** The part of a WebContents that receives contract events. */
export interface EventTarget {
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

/** Returns why a call must be refused, or undefined when its sender is the app's own page. */
export type SenderCheck<E> = (event: E) => string | undefined;

/** The part of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike<W> {
  readonly sender: W;
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/**
 * The sender check of every call: a live top-level frame, showing the app's own renderer file,
 * in one of the app's windows. Anything else (a subframe, a navigated page, a foreign
 * webContents) is refused before the call is looked at.
 */
export function createSenderCheck<W>(
  rendererUrl: string,
  isAppWebContents: (webContents: W) => boolean,
): SenderCheck<InvokeEventLike<W>> {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return 'the calling page is gone (it navigated away or was closed)';
    if (frame.parent) return 'calls are accepted only from the top-level page, not from a frame';
    if (!isAppRendererUrl(frame.url, rendererUrl)) return 'calls are accepted only from the app’s own page';
    if (!isAppWebContents(event.sender)) return 'calls are accepted only from the app’s own windows';
    return undefined;
  };
}

export interface IpcAdapterOptions<E, T extends EventTarget> {
  ipcMain: IpcMainLike<E>;
  service: BridgeEndpoint;
  checkSender: SenderCheck<E>;
  /** The webContents that sent a call (asked only after the sender check passed). */
  senderOf: (event: E) => T;
  /**
   * Calls `onGone` when that webContents is destroyed or loads another page (a reload is a new UI),
   * so what was attached for it is freed; returns a function that stops watching.
   */
  watchSender: (target: T, onGone: () => void) => () => void;
  /** Where broadcast contract events go: the webContents of every app window. */
  eventTargets: () => Iterable<EventTarget>;
  logger: Logger;
}

/**
 * The Electron transport of the contract: one `ipcMain.handle` per method, each answering with
 * the same Reply envelope as the WebSocket, every broadcast event sent to every app window, and
 * one connection per window page for events aimed at that UI alone.
 * Returns a function that removes it all.
 */
export function attachIpc<E, T extends EventTarget>(options: IpcAdapterOptions<E, T>): () => void {
  const log = options.logger.child('ipc');
  const connections = new Map<T, { connection: Connection & { close(): void }; unwatch: () => void }>();

  const connectionOf = (target: T): Connection => {
    const existing = connections.get(target);
    if (existing) return existing.connection;
    const connection = createConnection('ipc', (event, payload) => {
      if (target.isDestroyed()) return;
      if (event === 'terminal.output') {
        // Terminal output crosses as UTF-8 bytes (structured clone copies them as they are) with its
        // length as a string for the console's acknowledgements; xterm decodes the bytes itself.
        const { name, seq, data } = payload as { name: string; seq: number; data: string };
        const bytes = Buffer.from(data, 'utf8');
        target.send(IPC_EVENT_CHANNEL, event, { name, seq, chars: data.length, data: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) });
        return;
      }
      target.send(IPC_EVENT_CHANNEL, event, payload);
    });
    const unwatch = options.watchSender(target, () => {
      const entry = connections.get(target);
      if (entry?.connection !== connection) return;
      connections.delete(target);
      entry.unwatch();
      connection.close();
    });
    connections.set(target, { connection, unwatch });
    return connection;
  };

  for (const name of methodNames) {
    options.ipcMain.handle(ipcChannel(name), async (event, ...args): Promise<Reply> => {
      const problem = options.checkSender(event);
      if (problem) {
        log.warn('refused IPC call', { method: name, reason: problem });
        return { ok: false, error: { code: 'unauthorized', message: `Refused: ${problem}.` } };
      }
      return options.service.dispatcher.dispatch(name, args, connectionOf(options.senderOf(event)));
    });
  }

  const unsubscribe = options.service.events.subscribe((event, payload) => {
    for (const target of options.eventTargets()) {
      if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event, payload);
    }
  });

  return () => {
    unsubscribe();
    for (const name of methodNames) options.ipcMain.removeHandler(ipcChannel(name));
    for (const { connection, unwatch } of connections.values()) {
      unwatch();
      connection.close();
    }
    connections.clear();
  };
}

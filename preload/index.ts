/**
 * The preload: exposes exactly the contract's methods and events as `window.relay`, nothing else.
 * Runs sandboxed (CommonJS, only `electron`'s renderer modules available).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventNames, IPC_EVENT_CHANNEL, ipcChannel, methodNames, type EventName } from './contract.js';

const api: Record<string, unknown> = {};
for (const name of methodNames) {
  api[name] = (...args: unknown[]) => ipcRenderer.invoke(ipcChannel(name), ...args);
}

const known = new Set<string>(eventNames);
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!known.has(event) || typeof listener !== 'function') throw new Error(`Unknown event ${String(event)}`);
  const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
    if (name === event) listener(payload);
  };
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('relay', Object.freeze(api));

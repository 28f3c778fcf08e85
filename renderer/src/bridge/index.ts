import type { PreloadApi } from '../../../preload/contract';
import type { Bridge } from './bridge';
import { createIpcBridge } from './ipc-bridge';
import { createWsBridge } from './ws-bridge';

export * from './bridge';

declare global {
  interface Window {
    /** Present only inside the Electron app (the preload's contextBridge exposure). */
    readonly relay?: PreloadApi;
  }
}

/** Electron's preload when present, the daemon's WebSocket otherwise; the UI cannot tell them apart. */
export function createBridge(): Bridge {
  return window.relay ? createIpcBridge(window.relay) : createWsBridge();
}

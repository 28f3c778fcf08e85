import type { EventName, MethodArgs, MethodName, MethodResult, PreloadApi, Reply } from '../../../preload/contract';
import { BridgeCallError, type Bridge } from './bridge';

/** The Electron transport: `window.relay` from the preload, one function per contract method. */
export function createIpcBridge(api: PreloadApi): Bridge {
  return {
    transport: 'ipc',
    async call<M extends MethodName>(method: M, ...args: MethodArgs<M>): Promise<MethodResult<M>> {
      const fn = api[method] as unknown as (...a: unknown[]) => Promise<Reply<MethodResult<M>>>;
      if (typeof fn !== 'function') throw new BridgeCallError('unknown_method', `The app does not offer ${method}.`);
      const reply = await fn(...args);
      if (reply.ok) return reply.value;
      throw new BridgeCallError(reply.error.code, reply.error.message);
    },
    on(event, listener) {
      return api.on(event as EventName, listener as (payload: unknown) => void);
    },
    connection: () => 'open',
    onConnection: () => () => undefined,
  };
}

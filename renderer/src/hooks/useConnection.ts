import { useSyncExternalStore } from 'react';
import type { ConnectionState } from '../bridge';
import { useBridge } from './useBridge';

/** The bridge's connection state: 'open', 'connecting', 'reconnecting' or 'unauthorized'. */
export function useConnection(): ConnectionState {
  const bridge = useBridge();
  return useSyncExternalStore(
    (onChange) => bridge.onConnection(onChange),
    () => bridge.connection(),
  );
}

import { useEffect, useState } from 'react';
import type { ProvidersState } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { useConnection } from '../hooks/useConnection';

/** Providers, accounts and vault status, live from `providers.changed`, fetched again on reconnect. */
export function useProviders(): ProvidersState | undefined {
  const bridge = useBridge();
  const connection = useConnection();
  const [state, setState] = useState<ProvidersState>();

  useEffect(() => bridge.on('providers.changed', setState), [bridge]);

  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    bridge.call('providers.list').then(
      (value) => live && setState(value),
      () => undefined, // The connection banner says why.
    );
    return () => {
      live = false;
    };
  }, [bridge, connection]);

  return state;
}

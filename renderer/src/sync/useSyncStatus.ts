import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';

/** Cloud sync's status as the daemon tells it: the first answer, then every `sync.changed`. */
export function useSyncStatus(): { status: SyncStatus | undefined; loadError: string | undefined; set: (status: SyncStatus) => void } {
  const bridge = useBridge();
  const [status, setStatus] = useState<SyncStatus>();
  const [loadError, setLoadError] = useState<string>();
  useEffect(() => {
    let live = true;
    // Listening first: a change that lands while the first answer travels is not lost.
    let heard = false;
    const off = bridge.on('sync.changed', (next) => {
      heard = true;
      setStatus(next);
    });
    bridge.call('sync.status').then(
      (first) => {
        if (live && !heard) setStatus(first);
      },
      (error: unknown) => {
        if (live) setLoadError(failureOf(error).message);
      },
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return { status, loadError, set: setStatus };
}

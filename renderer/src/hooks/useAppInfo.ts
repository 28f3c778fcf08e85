import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../preload/contract';
import { useBridge } from './useBridge';
import { useConnection } from './useConnection';

/** `app.info`, fetched again each time the connection opens (a restarted daemon may differ). */
export function useAppInfo(): AppInfo | undefined {
  const bridge = useBridge();
  const connection = useConnection();
  const [info, setInfo] = useState<AppInfo>();
  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    bridge.call('app.info').then(
      (value) => live && setInfo(value),
      () => undefined, // The connection banner already says why.
    );
    return () => {
      live = false;
    };
  }, [bridge, connection]);
  return info;
}

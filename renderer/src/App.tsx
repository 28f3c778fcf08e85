import { useEffect, useState } from 'react';
import type { AppInfo } from '../../preload/contract';
import type { Bridge } from './bridge';

export function App({ bridge }: { bridge: Bridge }) {
  const [info, setInfo] = useState<AppInfo>();
  useEffect(() => {
    void bridge.call('app.info').then(setInfo);
  }, [bridge]);
  return <main>{info ? `${info.name} ${info.version} (${info.host})` : 'Connecting…'}</main>;
}

import { useEffect, useState } from 'react';
import type { LoginItemState } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';
import { useConnection } from '../hooks/useConnection';

export interface LoginItem {
  readonly state: LoginItemState | undefined;
  /** The host's refusal of the last change, as a sentence. */
  readonly error: string | undefined;
  readonly busy: boolean;
  /** Resolves true once the host made the change. */
  set(openAtLogin: boolean): Promise<boolean>;
}

/** Start at login: read from the host, changed through it, live from `app.loginItemChanged` (the tray changes it too). */
export function useLoginItem(): LoginItem {
  const bridge = useBridge();
  const connection = useConnection();
  const [state, setState] = useState<LoginItemState>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => bridge.on('app.loginItemChanged', setState), [bridge]);
  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    bridge.call('app.getLoginItem').then(
      (value) => live && setState(value),
      (e: unknown) => live && setError((e as Error).message),
    );
    return () => {
      live = false;
    };
  }, [bridge, connection]);

  const set = async (openAtLogin: boolean) => {
    setBusy(true);
    try {
      setState(await bridge.call('app.setLoginItem', openAtLogin));
      setError(undefined);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { state, error, busy, set };
}

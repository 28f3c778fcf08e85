import { useCallback, useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../preload/contract';
import { BridgeCallError } from '../bridge';
import { useBridge } from './useBridge';
import { useConnection } from './useConnection';

export type SaveResult = { ok: true; settings: Settings } | { ok: false; error: BridgeCallError };

/**
 * The daemon's settings, kept current by the `settings.changed` event (so every open window agrees)
 * and fetched again after a reconnect. `save` never throws: a refusal comes back as a value.
 */
export function useSettings(): { settings: Settings | undefined; save: (patch: SettingsPatch) => Promise<SaveResult> } {
  const bridge = useBridge();
  const connection = useConnection();
  const [settings, setSettings] = useState<Settings>();

  useEffect(() => bridge.on('settings.changed', setSettings), [bridge]);

  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    bridge.call('app.getSettings').then(
      (value) => live && setSettings(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge, connection]);

  const save = useCallback(
    async (patch: SettingsPatch): Promise<SaveResult> => {
      try {
        const next = await bridge.call('app.setSettings', patch);
        setSettings(next);
        return { ok: true, settings: next };
      } catch (error) {
        const failure =
          error instanceof BridgeCallError ? error : new BridgeCallError('internal', (error as Error).message);
        return { ok: false, error: failure };
      }
    },
    [bridge],
  );

  return { settings, save };
}

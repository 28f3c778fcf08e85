import type { Bridge } from './bridge';
import { BridgeContext } from './hooks/useBridge';
import { AppShell } from './shell/AppShell';

export function App({ bridge }: { bridge: Bridge }) {
  return (
    <BridgeContext value={bridge}>
      <AppShell />
    </BridgeContext>
  );
}

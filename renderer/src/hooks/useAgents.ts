import { useEffect, useState } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import { useBridge } from './useBridge';
import { useConnection } from './useConnection';

/** Every agent, live from `agents.changed`, fetched again each time the connection opens. */
export function useAgents(): ReadonlyArray<AgentInfo> | undefined {
  const bridge = useBridge();
  const connection = useConnection();
  const [agents, setAgents] = useState<ReadonlyArray<AgentInfo>>();

  useEffect(() => bridge.on('agents.changed', setAgents), [bridge]);

  useEffect(() => {
    if (connection !== 'open') return;
    let live = true;
    bridge.call('agents.list').then(
      (list) => live && setAgents(list),
      () => undefined, // The connection banner says why.
    );
    return () => {
      live = false;
    };
  }, [bridge, connection]);

  return agents;
}

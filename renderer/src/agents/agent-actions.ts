import type { Bridge } from '../bridge';
import { markStoppedByUser } from '../notifications/user-stops';

/** The per-agent actions of the Agents page and the console; each rejects with a BridgeCallError. */
export function agentActions(bridge: Bridge) {
  return {
    restart: async (name: string) => {
      markStoppedByUser(name);
      await bridge.call('agents.restart', name);
    },
    kill: async (name: string) => {
      markStoppedByUser(name);
      await bridge.call('agents.kill', name);
    },
    remove: async (name: string) => {
      markStoppedByUser(name);
      await bridge.call('agents.remove', name);
    },
  };
}

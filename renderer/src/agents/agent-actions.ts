import type { Bridge } from '../bridge';

/**
 * The per-agent actions of the Agents page and the console; each rejects with a BridgeCallError.
 * The daemon marks agents stopped this way (`stopRequested`), so their exit raises no notification
 * in any window, nor in the tray app.
 */
export function agentActions(bridge: Bridge) {
  return {
    restart: async (name: string) => {
      await bridge.call('agents.restart', name);
    },
    kill: async (name: string) => {
      await bridge.call('agents.kill', name);
    },
    remove: async (name: string) => {
      await bridge.call('agents.remove', name);
    },
    acceptRelay: async (name: string) => {
      await bridge.call('agents.setAcceptRelay', name, true);
    },
    refuseRelay: async (name: string) => {
      await bridge.call('agents.setAcceptRelay', name, false);
    },
  };
}

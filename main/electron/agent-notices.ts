import type { AgentInfo } from '../../preload/contract.js';

/**
 * What deserves a desktop notification when an agent changes: it started waiting for the user's
 * input, or it exited. Nothing for the first sight of an agent or for a change that stays put.
 */
export function agentNotice(before: AgentInfo | undefined, after: AgentInfo): { title: string; body: string } | undefined {
  if (!before || before.status === after.status) return undefined;
  // Who and why, in the daemon's words (the tray and the sidebar say the same).
  const attention = after.attention;
  if (attention && attention.title !== before.attention?.title) {
    const reason = `${attention.reason[0]!.toUpperCase()}${attention.reason.slice(1)}`;
    const body = attention.kind === 'error' ? `${reason}. Click to see its console.` : `${reason} on its screen. Click to answer in its console.`;
    return { title: attention.title, body };
  }
  if (after.status === 'waiting_for_input') {
    return { title: `${after.name} needs your input`, body: after.statusReason ?? 'It is waiting at a prompt.' };
  }
  if (after.status === 'exited' && !after.stopRequested) {
    const exit = after.exit;
    const how = !exit ? 'It stopped.' : exit.signalName ? `Stopped by ${exit.signalName}.` : `Exit code ${exit.exitCode}.`;
    return { title: `${after.name} exited`, body: how };
  }
  return undefined;
}

import type { AgentExit, AgentInfo, AgentStatus } from '../../../preload/contract';
import { assertNever } from '../routes';

/** "code 0", "signal SIGTERM": how an agent ended. */
export function exitText(exit: AgentExit): string {
  if (exit.signalName) return `signal ${exit.signalName}`;
  if (exit.signal) return `signal ${exit.signal}`;
  return `code ${exit.exitCode}`;
}

export function statusLabel(status: AgentStatus): string {
  switch (status) {
    case 'starting':
      return 'Starting';
    case 'working':
      return 'Working';
    case 'idle':
      return 'Idle';
    case 'waiting_for_input':
      return 'Waiting for input';
    case 'exited':
      return 'Exited';
    default:
      return assertNever(status);
  }
}

/** The pill's text: the status, and for an exited agent how it ended. */
export function statusText(agent: Pick<AgentInfo, 'status' | 'exit'>): string {
  if (agent.status === 'exited' && agent.exit) return `Exited (${exitText(agent.exit)})`;
  return statusLabel(agent.status);
}

/** The pill's tooltip: the recognised prompt, or when the agent ended. */
export function statusTooltip(agent: Pick<AgentInfo, 'status' | 'statusReason' | 'exit'>): string | undefined {
  if (agent.status === 'waiting_for_input') return agent.statusReason ? `Waiting: ${agent.statusReason}` : 'Waiting for your input';
  if (agent.status === 'exited' && agent.exit) return `Exited with ${exitText(agent.exit)} at ${new Date(agent.exit.at).toLocaleTimeString()}`;
  return undefined;
}

/** "4s", "3m 12s", "2h 05m", "3d 4h". */
export function durationText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

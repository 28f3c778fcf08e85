import type { AgentInfo } from '../../../preload/contract';
import { exitText } from '../agents/agent-status';

export interface AgentAlert {
  /** Stable for one event, so two windows (or two renders) raise it once. */
  readonly key: string;
  readonly name: string;
  readonly kind: 'waiting' | 'exited';
  readonly title: string;
  readonly detail: string | undefined;
}

/** The alerts a change of the agent list calls for: an agent starting to wait for input, or exiting. */
export function alertsBetween(previous: ReadonlyArray<AgentInfo>, next: ReadonlyArray<AgentInfo>): AgentAlert[] {
  const before = new Map(previous.map((a) => [a.name, a]));
  const alerts: AgentAlert[] = [];
  for (const agent of next) {
    const old = before.get(agent.name);
    // A newly listed agent has no "before"; a restart that lands on the same status is no news.
    if (!old || (old.status === agent.status && old.restarts === agent.restarts)) continue;
    const key = `${agent.name}:${agent.status}:${agent.startedAt}:${agent.restarts}`;
    if (agent.status === 'waiting_for_input' && old.status !== 'waiting_for_input') {
      // Who and why, in the daemon's words ("Ann asks for permission" · "folder trust").
      const title = agent.attention?.title ?? `${agent.name} needs your input`;
      alerts.push({ key, name: agent.name, kind: 'waiting', title, detail: agent.attention?.reason ?? agent.statusReason ?? undefined });
    } else if (agent.status === 'exited' && old.status !== 'exited' && agent.exit) {
      alerts.push({ key, name: agent.name, kind: 'exited', title: `${agent.name} exited (${exitText(agent.exit)})`, detail: undefined });
    }
  }
  return alerts;
}

import type { AgentInfo } from '../../../preload/contract';
import { statusText, statusTooltip } from './agent-status';

/** An agent's status as a coloured pill, cut short where it must be; the full text and the recognised prompt or exit time as its tooltip. */
export function AgentStatusPill({ agent }: { agent: Pick<AgentInfo, 'status' | 'statusReason' | 'exit'> }) {
  const tooltip = statusTooltip(agent);
  const failed = agent.status === 'exited' && agent.exit !== null && (agent.exit.exitCode !== 0 || agent.exit.signal !== null);
  return (
    <span
      className="status-pill"
      data-status={agent.status}
      data-failed={failed || undefined}
      title={tooltip ? `${statusText(agent)} — ${tooltip}` : statusText(agent)}
      data-testid="agent-status"
    >
      <span className="status-pill-dot" aria-hidden="true" />
      <span className="status-pill-text">{statusText(agent)}</span>
      {tooltip ? <span className="visually-hidden">. {tooltip}</span> : null}
    </span>
  );
}

import type { AgentInfo } from '../../../preload/contract';
import { hrefFor } from '../routes';

/** The agents that need the user, each with why, in the sidebar: a click opens that console. */
export function AttentionList({ agents }: { agents: ReadonlyArray<AgentInfo> | undefined }) {
  const needing = (agents ?? []).filter((agent) => agent.attention);
  if (needing.length === 0) return null;
  return (
    <section className="attention" aria-labelledby="attention-title" data-testid="attention-list">
      <h2 id="attention-title" className="attention-title">
        <span className="attention-title-text">Needs you</span> <span className="attention-count">{needing.length}</span>
      </h2>
      <ul className="attention-items">
        {needing.map((agent) => (
          <li key={agent.name}>
            <a className={`attention-item attention-${agent.attention!.kind}`} href={hrefFor({ page: 'console', agent: agent.name })} title={agent.attention!.title}>
              <span className="attention-name">{agent.name}</span>
              <span className="attention-reason">{agent.attention!.reason}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

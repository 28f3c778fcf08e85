import type { AgentInfo } from '../../../preload/contract';
import { useNow } from '../hooks/useNow';
import { AgentRow, type RowAction } from './AgentRow';

/** Every agent, one row each; the uptimes tick. */
export function AgentTable({ agents, onAction }: { agents: ReadonlyArray<AgentInfo>; onAction: (action: RowAction, name: string) => void }) {
  const now = useNow();
  return (
    <div className="card table-card">
      <table className="data-table agent-table" aria-label="Agents">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Command</th>
            <th scope="col">Folder</th>
            <th scope="col" className="cell-num">PID</th>
            <th scope="col" className="cell-num">Uptime</th>
            <th scope="col" className="cell-actions">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <AgentRow key={agent.name} agent={agent} now={now} onAction={onAction} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { AgentInfo } from '../../../preload/contract';
import { MessagesIcon, RestartIcon, StopIcon, TerminalIcon, TrashIcon } from '../components/Icons';
import { hrefFor } from '../routes';
import { quoteWord } from './command-line';
import { durationText, exitText } from './agent-status';
import { AgentStatusPill } from './AgentStatusPill';
import { UsageLimitNotice } from './UsageLimitNotice';

/** The last `keep` segments of an absolute path ("…/relay/bob.mjs"); anything else as it is. */
function shortPath(word: string, keep: number): string {
  if (!word.startsWith('/')) return word;
  const parts = word.split('/').filter(Boolean);
  return parts.length <= keep ? word : keep === 1 ? parts[parts.length - 1]! : `…/${parts.slice(-keep).join('/')}`;
}

export type RowAction = 'restart' | 'kill' | 'remove' | 'acceptRelay' | 'refuseRelay';

/** Whether relay messages reach this agent: always for agents; at a shell prompt only if the user allowed it. */
function RelayNote({ agent }: { agent: AgentInfo }) {
  if (agent.acceptRelay) {
    return (
      <span className="cell-note relay-note relay-note-open" data-testid="relay-note" title="Relay messages are typed in even when a plain shell is in the foreground, where they run as commands.">
        relay into shell allowed
      </span>
    );
  }
  if (agent.shellPrompt && agent.status !== 'exited') {
    return (
      <span className="cell-note relay-note" data-testid="relay-note" title="A plain shell is in the foreground: relay messages to it fail instead of running as commands.">
        shell · relay held back
      </span>
    );
  }
  return null;
}

function Uptime({ agent, now }: { agent: AgentInfo; now: number }) {
  if (agent.exit) return <span className="cell-faint" title={`Exited with ${exitText(agent.exit)}`}>ran {durationText(agent.exit.at - agent.startedAt)}</span>;
  return <span data-testid="agent-uptime">{durationText(now - agent.startedAt)}</span>;
}

/** One agent in the Agents table: who, what it runs, where, and what the user can do with it. */
export function AgentRow({ agent, now, onAction }: { agent: AgentInfo; now: number; onAction: (action: RowAction, name: string) => void }) {
  const commandLine = [agent.command, ...agent.args].map(quoteWord).join(' ');
  const shortWord = (word: string, keep: number) => (shortPath(word, keep) === word ? quoteWord(word) : shortPath(word, keep));
  const shortLine = [shortWord(agent.command, 1), ...agent.args.map((arg) => shortWord(arg, 2))].join(' ');
  const running = agent.status !== 'exited';
  return (
    <tr data-testid="agent-row" data-agent={agent.name}>
      <th scope="row" className="cell-name">
        <a href={hrefFor({ page: 'console', agent: agent.name })} className="agent-name-link" title={agent.name}>
          {agent.name}
        </a>
        {agent.restarts > 0 ? <span className="cell-faint cell-note">restarted {agent.restarts}×</span> : null}
      </th>
      <td>
        <AgentStatusPill agent={agent} />
        <RelayNote agent={agent} />
        <UsageLimitNotice agent={agent} />
      </td>
      <td className="cell-mono cell-truncate" title={commandLine}>
        {shortLine}
      </td>
      <td className="cell-mono cell-truncate cell-folder" title={agent.cwd}>
        {agent.cwd}
      </td>
      <td className="cell-mono cell-num" title={agent.pid === null ? undefined : `PID ${agent.pid}`}>
        {agent.pid ?? '—'}
      </td>
      <td className="cell-num">
        <Uptime agent={agent} now={now} />
      </td>
      <td className="cell-actions">
        <div className="cell-actions-inner">
          <a className="button button-secondary button-small" href={hrefFor({ page: 'console', agent: agent.name })} aria-label={`Open console of ${agent.name}`} title="Open console">
            <TerminalIcon size={14} /> <span className="row-action-label">Console</span>
          </a>
          {/* Only where it matters: a shell at its prompt now, or already allowed (spawn --accept-relay presets it). */}
          {(agent.shellPrompt && running) || agent.acceptRelay ? (
          <button
            type="button"
            className="icon-button icon-button-bordered relay-toggle"
            title={agent.acceptRelay ? 'Accepts relay messages even at a shell prompt (click to turn off)' : 'Accept relay messages even at a shell prompt'}
            aria-label={`Accept relay messages in ${agent.name} even at a shell prompt`}
            aria-pressed={agent.acceptRelay}
            data-testid="accept-relay"
            onClick={() => onAction(agent.acceptRelay ? 'refuseRelay' : 'acceptRelay', agent.name)}
          >
            <MessagesIcon size={14} />
          </button>
          ) : null}
          <button type="button" className="icon-button icon-button-bordered" title="Restart" aria-label={`Restart ${agent.name}`} onClick={() => onAction('restart', agent.name)}>
            <RestartIcon size={15} />
          </button>
          <button
            type="button"
            className="icon-button icon-button-bordered"
            title="Kill"
            aria-label={`Kill ${agent.name}`}
            disabled={!running}
            onClick={() => onAction('kill', agent.name)}
          >
            <StopIcon size={14} />
          </button>
          <button type="button" className="icon-button icon-button-bordered icon-button-danger" title="Remove" data-action="remove" aria-label={`Remove ${agent.name}`} onClick={() => onAction('remove', agent.name)}>
            <TrashIcon size={15} />
          </button>
        </div>
      </td>
    </tr>
  );
}

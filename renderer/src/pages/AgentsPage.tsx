import { useEffect, useMemo, useRef, useState } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import { agentActions } from '../agents/agent-actions';
import type { RowAction } from '../agents/AgentRow';
import { AgentTable } from '../agents/AgentTable';
import { NewAgentDialog } from '../agents/NewAgentDialog';
import { StartTeamDialog } from '../agents/StartTeamDialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { EmptyState } from '../components/EmptyState';
import { CloseIcon, PlusIcon, TeamIcon, WarningIcon } from '../components/Icons';
import { AgentsIllustration } from '../components/Illustrations';
import { PageHeader } from '../components/PageHeader';
import { useBridge } from '../hooks/useBridge';

type Confirming = { readonly action: 'kill' | 'remove' | 'acceptRelay'; readonly name: string };

const CONFIRM_TITLES: Readonly<Record<Confirming['action'], (name: string) => string>> = {
  kill: (name) => `Kill ${name}?`,
  remove: (name) => `Remove ${name}?`,
  acceptRelay: (name) => `Let relay messages into ${name} at a shell prompt?`,
};
const CONFIRM_LABELS: Readonly<Record<Confirming['action'], string>> = { kill: 'Kill', remove: 'Remove', acceptRelay: 'Accept relay messages' };

/** Running agents: their status, and spawning, restarting, killing and removing them. */
export function AgentsPage({ agents }: { agents: ReadonlyArray<AgentInfo> | undefined }) {
  const bridge = useBridge();
  const actions = useMemo(() => agentActions(bridge), [bridge]);
  const [creating, setCreating] = useState(false);
  const [startingTeam, setStartingTeam] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>();
  const [failure, setFailure] = useState<string>();
  // The row of an agent being removed: once it is gone, focus moves to its neighbour, not the page body.
  const removing = useRef<{ name: string; index: number } | undefined>(undefined);

  useEffect(() => {
    const gone = removing.current;
    // Wait for both: the confirmation closed (it gives focus back first) and the row gone.
    if (!gone || confirming || !agents || agents.some((a) => a.name === gone.name)) return;
    removing.current = undefined;
    const next = agents[Math.min(gone.index, agents.length - 1)];
    const target = next
      ? document.querySelector<HTMLElement>(`[data-testid="agent-row"][data-agent="${CSS.escape(next.name)}"] [data-action="remove"]`)
      : document.querySelector<HTMLElement>('main [data-action="new-agent"]');
    target?.focus();
  }, [agents, confirming]);

  const run = async (action: RowAction, name: string) => {
    setFailure(undefined);
    if (action === 'remove') removing.current = { name, index: agents?.findIndex((a) => a.name === name) ?? 0 };
    try {
      await actions[action](name);
    } catch (error) {
      removing.current = undefined;
      setFailure((error as Error).message);
    }
  };
  const onAction = (action: RowAction, name: string) => {
    if (action === 'restart' || action === 'refuseRelay') void run(action, name);
    else setConfirming({ action, name });
  };

  const newAgentButton = (
    <div className="header-actions">
      <button type="button" className="button button-secondary" onClick={() => setStartingTeam(true)}>
        <TeamIcon size={15} /> Start a team
      </button>
      <button type="button" className="button button-primary" data-action="new-agent" onClick={() => setCreating(true)}>
        <PlusIcon size={15} /> New agent
      </button>
    </div>
  );

  return (
    <div className="page page-wide">
      <PageHeader title="Agents" description="Coding agents running on this machine, each in its own terminal." aside={agents?.length ? newAgentButton : undefined} />
      {failure ? (
        <div className="inline-alert" role="alert">
          <WarningIcon />
          <span className="banner-text">{failure}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setFailure(undefined)}>
            <CloseIcon />
          </button>
        </div>
      ) : null}
      {agents === undefined ? (
        <p className="loading-line" role="status">
          Loading agents…
        </p>
      ) : agents.length === 0 ? (
        <EmptyState illustration={<AgentsIllustration />} title="No agents running" actions={newAgentButton}>
          <p>
            Agents you start appear here, each in its own terminal that you can open, type into and search, even if you
            open it long after the agent started.
          </p>
        </EmptyState>
      ) : (
        <div className="page-section">
          <AgentTable agents={agents} onAction={onAction} />
        </div>
      )}
      {creating ? (
        <NewAgentDialog agents={agents ?? []} onClose={() => setCreating(false)} onSpawned={() => setCreating(false)} />
      ) : null}
      {startingTeam ? (
        <StartTeamDialog agents={agents ?? []} onClose={() => setStartingTeam(false)} onStarted={() => setStartingTeam(false)} />
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={CONFIRM_TITLES[confirming.action](confirming.name)}
          confirmLabel={CONFIRM_LABELS[confirming.action]}
          onConfirm={() => run(confirming.action, confirming.name)}
          onClose={() => setConfirming(undefined)}
        >
          {confirming.action === 'kill' ? (
            <p>
              {confirming.name} gets SIGTERM, then SIGKILL if it has not stopped after a moment. It stays listed, and
              you can restart it.
            </p>
          ) : confirming.action === 'acceptRelay' ? (
            <p>
              Messages other agents send to {confirming.name} are typed into its terminal even while a plain shell (bash,
              zsh, PowerShell, cmd…) is in the foreground, where each one runs as a command. Turn this on only for a shell
              you want other agents to drive.
            </p>
          ) : (
            <p>
              {confirming.name} is stopped if it runs, and its terminal and place in the list are gone. Messages still
              waiting for it fail.
            </p>
          )}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

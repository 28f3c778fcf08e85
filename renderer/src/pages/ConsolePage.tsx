import { useEffect, useMemo, useState } from 'react';
import type { AgentInfo, Settings } from '../../../preload/contract';
import { agentActions } from '../agents/agent-actions';
import { AgentStatusPill } from '../agents/AgentStatusPill';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ArrowLeftIcon, NewWindowIcon, RestartIcon, StopIcon } from '../components/Icons';
import { ExitBanner } from '../console/ExitBanner';
import type { SessionState } from '../console/terminal-session';
import { TerminalView } from '../console/TerminalView';
import { useBridge } from '../hooks/useBridge';
import { hrefFor } from '../routes';

/** One agent's console: its terminal, status, and the actions that apply to it. */
export function ConsolePage({
  name,
  agents,
  settings,
  theme,
  reveal,
}: {
  name: string;
  /** A search hit to show (from the search across agents). */
  reveal?: { readonly text: string; readonly fromBottom: number } | undefined;
  agents: ReadonlyArray<AgentInfo> | undefined;
  settings: Settings | undefined;
  theme: 'light' | 'dark';
}) {
  const bridge = useBridge();
  const actions = useMemo(() => agentActions(bridge), [bridge]);
  const agent = agents?.find((a) => a.name === name);
  const [state, setState] = useState<SessionState>({ kind: 'attaching' });
  const [notice, setNotice] = useState<string>();
  const [confirmKill, setConfirmKill] = useState(false);

  useEffect(() => {
    document.title = `${name} — Agent Relay`;
    return () => {
      document.title = 'Agent Relay';
    };
  }, [name]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(undefined), 3000);
    return () => clearTimeout(timer);
  }, [notice]);

  const act = (run: () => Promise<void>) => {
    run().catch((error: Error) => setNotice(error.message));
  };
  // After a restart the user types into the new run: focus goes to the terminal, not to the page body
  // (the exit banner's Restart button disappears under it).
  const restart = () =>
    act(async () => {
      await actions.restart(name);
      document.querySelector<HTMLElement>('[data-testid="terminal"] textarea')?.focus();
    });
  const route = hrefFor({ page: 'console', agent: name });
  const openWindow = () => {
    bridge.call('app.openWindow', route).then(
      ({ opened }) => {
        if (!opened) window.open(`${location.pathname}${location.search}${route}`, '_blank', 'noopener');
      },
      (error: Error) => setNotice(error.message),
    );
  };

  return (
    <div className="console-page">
      <header className="console-header">
        <a className="console-back" href={hrefFor({ page: 'agents' })} title="Back to agents">
          <ArrowLeftIcon size={15} />
          <span className="console-back-label">Back to agents</span>
        </a>
        <span className="console-sep" aria-hidden="true" />
        <h1 className="console-title" tabIndex={-1} data-page-title title={name}>
          {name}
        </h1>
        {agent ? <AgentStatusPill agent={agent} /> : null}
        {agent ? (
          <span className="console-command" title={[agent.command, ...agent.args].join(' ')}>
            {agent.cwd}
          </span>
        ) : null}
        <span className="console-notice" role="status" aria-live="polite">
          {notice}
        </span>
        <div className="console-actions">
          <button type="button" className="button button-secondary button-small" disabled={!agent} onClick={restart}>
            <RestartIcon size={14} /> Restart
          </button>
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={!agent || agent.status === 'exited'}
            onClick={() => setConfirmKill(true)}
          >
            <StopIcon size={13} /> Kill
          </button>
          <button type="button" className="button button-secondary button-small" onClick={openWindow} title="Open in new window">
            <NewWindowIcon size={14} /> <span className="console-action-label">Open in new window</span>
          </button>
        </div>
      </header>
      {agent?.exit && agent.status === 'exited' ? <ExitBanner name={name} exit={agent.exit} onRestart={restart} /> : null}
      {state.kind === 'failed' ? (
        <div className="console-banner console-banner-danger" role="alert" data-testid="attach-error">
          <span>{state.message}</span>
          <a className="button button-secondary button-small" href={hrefFor({ page: 'agents' })}>
            Back to agents
          </a>
        </div>
      ) : null}
      <TerminalView name={name} settings={settings} theme={theme} onState={setState} onNotice={setNotice} reveal={reveal} />
      {confirmKill ? (
        <ConfirmDialog title={`Kill ${name}?`} confirmLabel="Kill" onConfirm={() => actions.kill(name).catch((e: Error) => setNotice(e.message))} onClose={() => setConfirmKill(false)}>
          <p>{name} gets SIGTERM, then SIGKILL if it has not stopped after a moment. You can restart it afterwards.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { AgentInfo, RestorableAgent } from '../../../preload/contract';
import { useBridge } from '../hooks/useBridge';

const commandLine = (agent: RestorableAgent, resume: boolean): string => {
  const cli = agent.provider ? ({ anthropic: 'claude', openai: 'codex', google: 'gemini' } as Record<string, string>)[agent.provider] ?? agent.provider : agent.command!;
  const base = agent.command ? agent.command.split(/[\\/]/).pop()! : cli;
  const extra = resume && agent.resumeArgs ? agent.resumeArgs : [];
  const before = extra[0] === 'resume' ? extra : [];
  const after = extra[0] === 'resume' ? [] : extra;
  return [base, ...before, ...agent.args, ...after].join(' ');
};

/**
 * After a restart of the computer the terminal host is gone with its agents: offer to start the
 * team again, each agent with its command, folder and account, continuing its last conversation
 * where the CLI can (`claude --continue`, `codex resume --last`, `gemini --resume latest`).
 */
export function RestoreOffer({ onStarted }: { onStarted?: (agents: AgentInfo[]) => void }) {
  const bridge = useBridge();
  const [agents, setAgents] = useState<RestorableAgent[]>([]);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [resume, setResume] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    bridge.call('agents.restorable').then(
      (list) => {
        if (!live) return;
        setAgents(list);
        setChosen(new Set(list.map((a) => a.name)));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [bridge]);

  if (agents.length === 0) return null;
  const canResume = agents.some((a) => a.resumeArgs);
  const start = () => {
    setBusy(true);
    setError(undefined);
    bridge.call('agents.restore', { names: [...chosen], resume: canResume && resume }).then(
      (started) => {
        setAgents([]);
        onStarted?.(started);
      },
      (e: Error) => {
        setBusy(false);
        setError(e.message);
      },
    );
  };
  const dismiss = () => {
    setAgents([]);
    void bridge.call('agents.dismissRestore').catch(() => undefined);
  };

  return (
    <section className="restore-offer" aria-labelledby="restore-title" data-testid="restore-offer">
      <h2 id="restore-title" className="restore-title">
        Start your team again?
      </h2>
      <p className="restore-text">
        {agents.length === 1 ? '1 agent was' : `${agents.length} agents were`} running when Agent Relay last stopped (the computer restarted, or the
        terminal host ended). Messages waiting for them are delivered once they are back.
      </p>
      <ul className="restore-list">
        {agents.map((agent) => (
          <li key={agent.name}>
            <label className="restore-agent">
              <input
                type="checkbox"
                checked={chosen.has(agent.name)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(agent.name);
                  else next.delete(agent.name);
                  setChosen(next);
                }}
              />
              <span className="restore-name">{agent.name}</span>
              <code className="restore-command">{commandLine(agent, canResume && resume)}</code>
              <span className="restore-where">
                {agent.cwd}
                {agent.account ? ` · ${agent.account}` : ''}
              </span>
            </label>
          </li>
        ))}
      </ul>
      {canResume ? (
        <label className="restore-resume">
          <input type="checkbox" checked={resume} onChange={(event) => setResume(event.target.checked)} /> Continue each CLI's last conversation
        </label>
      ) : null}
      {error ? (
        <p className="restore-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="restore-actions">
        <button type="button" className="button button-secondary button-small" onClick={dismiss} disabled={busy}>
          Not now
        </button>
        <button type="button" className="button button-primary button-small" onClick={start} disabled={busy || chosen.size === 0}>
          {busy ? 'Starting…' : chosen.size === agents.length ? 'Start them again' : `Start ${chosen.size} again`}
        </button>
      </div>
    </section>
  );
}

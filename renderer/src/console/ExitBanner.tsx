import type { AgentExit } from '../../../preload/contract';
import { exitText } from '../agents/agent-status';
import { RestartIcon } from '../components/Icons';

/** Shown over the console once the agent has exited: how it ended, and a way to start it again. */
export function ExitBanner({ name, exit, onRestart }: { name: string; exit: AgentExit; onRestart: () => void }) {
  const clean = exit.exitCode === 0 && exit.signal === null;
  return (
    <div className={`console-banner ${clean ? 'console-banner-neutral' : 'console-banner-danger'}`} role="status" data-testid="exit-banner">
      <span>
        <strong>{name}</strong> exited with {exitText(exit)} at {new Date(exit.at).toLocaleTimeString()}.
      </span>
      <button type="button" className="button button-secondary button-small" onClick={onRestart}>
        <RestartIcon size={14} /> Restart
      </button>
    </div>
  );
}

/**
 * Quitting with agents running says what happens to them. Where a terminal host runs the agents the
 * user chooses: stop them, or keep them running in the background (the next start reattaches);
 * "Remember my choice" makes it the setting. Without a terminal host it asks "Quit and stop them?".
 * Electron-free: main.ts feeds it before-quit events and shows the prompt it describes.
 */
import type { Logger } from '../core/logging/logger.js';

/** What the guard needs from the agents. */
export interface RunningAgents {
  runningAgentCount(): number;
  stopAll(): Promise<void>;
  /** Whether the agents can outlive the app (a terminal host runs them); false when omitted. */
  canKeep?(): boolean;
}

export type AgentsOnQuit = 'ask' | 'stop' | 'keep';
export type QuitChoice = 'stop' | 'keep' | 'cancel';

export interface QuitPrompt {
  readonly message: string;
  readonly detail: string;
  /**
   * Button labels. Without a terminal host: index 0 quits (stopping them), 1 cancels. With one:
   * 0 stops them and quits, 1 keeps them running and quits, 2 cancels (the default and Escape).
   */
  readonly buttons: readonly ['Quit', 'Cancel'] | readonly ['Stop agents and quit', 'Keep agents running', 'Cancel'];
  /** The choice each button stands for. */
  readonly choices: readonly QuitChoice[];
  /** A "Remember my choice" checkbox, when the choice can be remembered. */
  readonly checkbox?: string;
  readonly cancelId: number;
}

export interface QuitAnswer {
  readonly choice: QuitChoice;
  readonly remember?: boolean;
}

export function quitPrompt(count: number, canKeep = false): QuitPrompt {
  const agents = count === 1 ? '1 agent is running' : `${count} agents are running`;
  if (!canKeep) {
    return {
      message: count === 1 ? '1 agent is running. Quit and stop it?' : `${count} agents are running. Quit and stop them?`,
      detail: 'Quitting Agent Relay ends every agent’s terminal session. Messages still queued for them are kept for next time.',
      buttons: ['Quit', 'Cancel'],
      choices: ['stop', 'cancel'],
      cancelId: 1,
    };
  }
  return {
    message: `${agents}. Stop ${count === 1 ? 'it' : 'them'}, or keep ${count === 1 ? 'it' : 'them'} running in the background?`,
    detail:
      'Kept agents go on working without the app; open Agent Relay again to see their consoles, with everything they printed meanwhile. ' +
      '`agent-relay-desktop down` stops them. Stopped agents end now; their queued messages wait for next time.',
    buttons: ['Stop agents and quit', 'Keep agents running', 'Cancel'],
    choices: ['stop', 'keep', 'cancel'],
    checkbox: 'Remember my choice (change it in Settings)',
    cancelId: 2,
  };
}

/** What quitting does now: the remembered setting where it applies, else ask (or just quit with none running). */
export function decideQuit(input: { running: number; canKeep: boolean; preference: AgentsOnQuit; ask: boolean }): 'stop' | 'keep' | 'ask' {
  if (input.running === 0) return 'stop';
  if (input.preference === 'keep' && input.canKeep) return 'keep';
  if (input.preference === 'stop') return 'stop';
  if (!input.ask) return input.canKeep ? 'keep' : 'stop';
  return 'ask';
}

export interface QuitGuardOptions {
  agents: RunningAgents;
  /** Shows the prompt; resolves with the choice (true = Quit, false = Cancel, for the two-button prompt). */
  confirm(prompt: QuitPrompt): Promise<QuitAnswer | boolean>;
  /** The remembered choice (Settings → agents on quit); 'ask' when omitted. */
  preference?(): AgentsOnQuit;
  /** "Remember my choice" was ticked. */
  remember?(choice: 'stop' | 'keep'): void;
  /** Everything else that must stop before exit (IPC, control server, service, tray); keepAgents leaves them in the terminal host. */
  shutdown(keepAgents: boolean): Promise<void>;
  /** Quits for real (app.quit() again, now let through). */
  exit(): void;
  logger: Logger;
}

export type QuitPhase = 'running' | 'confirming' | 'stopping' | 'stopped';

export interface QuitGuard {
  /**
   * The before-quit handler. Returns whether the quit may proceed now; when false the caller
   * prevents it and the guard calls `exit()` once agents and the daemon have stopped.
   */
  onBeforeQuit(options?: { confirm?: boolean }): boolean;
  /**
   * Quits without asking (SIGTERM, system shutdown): agents the terminal host can keep are kept (as
   * `up` does; `agent-relay-desktop down` stops everything), others are stopped cleanly.
   */
  quitWithoutAsking(): void;
  readonly phase: QuitPhase;
}

export function createQuitGuard(options: QuitGuardOptions): QuitGuard {
  const log = options.logger.child('quit');
  let phase: QuitPhase = 'running';
  const canKeep = () => options.agents.canKeep?.() ?? false;

  const stop = async (keep: boolean) => {
    phase = 'stopping';
    try {
      const count = options.agents.runningAgentCount();
      if (keep) log.info('quitting; agents keep running in the terminal host', { count });
      else if (count > 0) {
        log.info('stopping agents before quitting', { count });
        await options.agents.stopAll();
      }
    } catch (error) {
      log.error('agents did not stop cleanly', { error });
    }
    try {
      await options.shutdown(keep);
    } catch (error) {
      log.error('shutdown failed', { error });
    } finally {
      phase = 'stopped';
      options.exit();
    }
  };

  const begin = (ask: boolean) => {
    if (phase !== 'running') return;
    const count = options.agents.runningAgentCount();
    const keepable = canKeep();
    const decision = decideQuit({ running: count, canKeep: keepable, preference: options.preference?.() ?? 'ask', ask });
    if (decision !== 'ask') {
      void stop(decision === 'keep');
      return;
    }
    phase = 'confirming';
    void options
      .confirm(quitPrompt(count, keepable))
      .catch((error: unknown) => {
        log.error('the quit prompt failed; not quitting', { error });
        return false;
      })
      .then((answer) => {
        // A signal may have started the quit while the prompt was open.
        if (phase !== 'confirming') return undefined;
        const { choice, remember } = typeof answer === 'boolean' ? { choice: answer ? ('stop' as const) : ('cancel' as const), remember: false } : answer;
        if (choice === 'cancel') {
          phase = 'running';
          log.info('quit cancelled: agents keep running', { count });
          return undefined;
        }
        if (remember) options.remember?.(choice);
        return stop(choice === 'keep');
      });
  };

  return {
    onBeforeQuit(opts = {}) {
      if (phase === 'stopped') return true;
      begin(opts.confirm ?? true);
      return false;
    },
    quitWithoutAsking() {
      // A signal while the prompt is open: its answer no longer matters.
      if (phase === 'confirming') phase = 'running';
      begin(false);
    },
    get phase() {
      return phase;
    },
  };
}

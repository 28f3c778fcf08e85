/**
 * Quitting with agents running asks first ("2 agents are running. Quit and stop them?"), then stops
 * them cleanly before the daemon shuts down. Electron-free: main.ts feeds it before-quit events.
 */
import type { Logger } from '../core/logging/logger.js';

/** What the guard needs from the agent manager. */
export interface RunningAgents {
  runningAgentCount(): number;
  stopAll(): Promise<void>;
}

export interface QuitPrompt {
  readonly message: string;
  readonly detail: string;
  /** Button labels; index 0 quits, index 1 cancels (the default and Escape). */
  readonly buttons: readonly ['Quit', 'Cancel'];
}

export function quitPrompt(count: number): QuitPrompt {
  return {
    message: count === 1 ? '1 agent is running. Quit and stop it?' : `${count} agents are running. Quit and stop them?`,
    detail: 'Quitting Agent Relay ends every agent’s terminal session. Messages still queued for them are kept for next time.',
    buttons: ['Quit', 'Cancel'],
  };
}

export interface QuitGuardOptions {
  agents: RunningAgents;
  /** Shows the prompt; resolves true for Quit. */
  confirm(prompt: QuitPrompt): Promise<boolean>;
  /** Everything else that must stop before exit (IPC, control server, service, tray). */
  shutdown(): Promise<void>;
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
  /** Quits without asking (SIGTERM, system shutdown): agents are still stopped cleanly. */
  quitWithoutAsking(): void;
  readonly phase: QuitPhase;
}

export function createQuitGuard(options: QuitGuardOptions): QuitGuard {
  const log = options.logger.child('quit');
  let phase: QuitPhase = 'running';

  const stop = async () => {
    phase = 'stopping';
    try {
      const count = options.agents.runningAgentCount();
      if (count > 0) {
        log.info('stopping agents before quitting', { count });
        await options.agents.stopAll();
      }
    } catch (error) {
      log.error('agents did not stop cleanly', { error });
    }
    try {
      await options.shutdown();
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
    if (!ask || count === 0) {
      void stop();
      return;
    }
    phase = 'confirming';
    void options
      .confirm(quitPrompt(count))
      .catch((error: unknown) => {
        log.error('the quit prompt failed; not quitting', { error });
        return false;
      })
      .then((quit) => {
        // A signal may have started the quit while the prompt was open.
        if (phase !== 'confirming') return undefined;
        if (quit) return stop();
        phase = 'running';
        log.info('quit cancelled: agents keep running', { count });
        return undefined;
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

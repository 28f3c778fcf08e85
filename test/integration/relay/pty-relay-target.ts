import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import type { AgentRunState, RelayTarget } from '../../../main/core/relay/relay-target.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const relayFixtures = path.resolve(here, '../../fixtures/relay');

/**
 * The minimal adapter from a real node-pty process to the relay: idle means no output for
 * `idleAfterMs`. The integrator's adapter uses the agent host's status detection instead.
 */
export class PtyRelayTarget implements RelayTarget {
  output = '';
  private proc: pty.IPty | undefined;
  private current: AgentRunState = 'not_started';
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly dataListeners = new Set<(data: string) => void>();

  constructor(
    readonly name: string,
    private readonly idleAfterMs = 300,
    readonly id?: string,
  ) {}

  /** Stops the process (SIGHUP, as when a terminal closes) and resolves once it has exited. */
  stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || this.current === 'exited' || this.current === 'not_started') return Promise.resolve();
    return new Promise((resolve) => {
      proc.onExit(() => resolve());
      proc.kill();
    });
  }

  start(script: string, env: Record<string, string> = {}, cols = 80, rows = 24): void {
    this.proc = pty.spawn(process.execPath, [path.join(relayFixtures, script)], {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: relayFixtures,
      env: { ...process.env, ...env } as Record<string, string>,
    });
    this.setState('starting');
    this.proc.onData((data) => {
      this.output += data;
      for (const listener of this.dataListeners) listener(data);
      this.setState('working');
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.setState('idle'), this.idleAfterMs);
    });
    this.proc.onExit(() => {
      clearTimeout(this.idleTimer);
      this.setState('exited');
    });
  }

  onData(listener: (data: string) => void): void {
    this.dataListeners.add(listener);
  }

  kill(): void {
    clearTimeout(this.idleTimer);
    if (this.current !== 'exited' && this.current !== 'not_started') this.proc?.kill();
  }

  state(): AgentRunState {
    return this.current;
  }

  lastHumanInputAt(): number | null {
    return null;
  }

  write(data: string): void {
    if (!this.proc || this.current === 'exited') throw new Error(`${this.name} is not running`);
    this.proc.write(data);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(state: AgentRunState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of [...this.listeners]) listener();
  }
}

/** Polls until `check` gives a value, or fails naming what it waited for. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

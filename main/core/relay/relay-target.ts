/**
 * What the relay needs from an agent, so it does not depend on how agents are hosted. The integrator
 * adapts each agent session (pty, status detection, human input tracking) to this interface.
 */

/** An agent's run state as the relay needs it; only `idle` accepts injected messages. */
export type AgentRunState = 'not_started' | 'starting' | 'working' | 'idle' | 'waiting_for_input' | 'exited';

export interface RelayTarget {
  /** Unique, letters, digits, `-`, `_`, up to 32; matched case-insensitively. */
  readonly name: string;
  state(): AgentRunState;
  /** When a human last typed into this agent (ms since the epoch), if ever. Relay writes do not count. */
  lastHumanInputAt(): number | null | undefined;
  /** Whether the program enabled bracketed paste (mode 2004); assumed true when absent. */
  acceptsBracketedPaste?(): boolean;
  /** Writes bytes to the agent's pty input. Throws if the agent cannot take input. */
  write(data: string): void;
  /** Calls `listener` whenever state() or lastHumanInputAt() may have changed; returns unsubscribe. */
  onChange(listener: () => void): () => void;
}

type DirectoryListener = (event: { type: 'added' | 'removed'; name: string }) => void;

/** The agents the relay knows: running ones and ones defined but not started yet. */
export class TargetDirectory {
  private readonly targets = new Map<string, RelayTarget>();
  private readonly listeners = new Set<DirectoryListener>();

  add(target: RelayTarget): void {
    const key = target.name.toLowerCase();
    if (this.targets.has(key)) throw new Error(`an agent named ${target.name} is already in the relay directory`);
    this.targets.set(key, target);
    for (const listener of this.listeners) listener({ type: 'added', name: target.name });
  }

  remove(name: string): void {
    const target = this.targets.get(name.toLowerCase());
    if (!target) return;
    this.targets.delete(name.toLowerCase());
    for (const listener of this.listeners) listener({ type: 'removed', name: target.name });
  }

  get(name: string): RelayTarget | undefined {
    return this.targets.get(name.toLowerCase());
  }

  list(): ReadonlyArray<RelayTarget> {
    return [...this.targets.values()];
  }

  names(): ReadonlyArray<string> {
    return this.list().map((target) => target.name);
  }

  onChange(listener: DirectoryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Time and timers, injectable so tests can drive them. */
export interface Clock {
  now(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

/**
 * What the relay needs from an agent, so it does not depend on how agents are hosted. The integrator
 * adapts each agent session (pty, status detection, human input tracking) to this interface.
 */

/** An agent's run state as the relay needs it; only `idle` accepts injected messages. */
export type AgentRunState = 'not_started' | 'starting' | 'working' | 'idle' | 'waiting_for_input' | 'exited';

export interface RelayTarget {
  /** Unique, letters, digits, `-`, `_`, up to 32; matched case-insensitively. */
  readonly name: string;
  /**
   * The agent's identity, kept over restarts and never reused: messages are addressed to it, so a
   * later, unrelated agent that takes the same name never receives what was meant for this one.
   * Targets without one are keyed by their name.
   */
  readonly id?: string;
  state(): AgentRunState;
  /** When a human last typed into this agent (ms since the epoch), if ever. Relay writes do not count. */
  lastHumanInputAt(): number | null | undefined;
  /**
   * Whether the program enabled bracketed paste (mode 2004). When absent, the relay hub tracks the
   * mode from the agent's output (a bare router assumes true).
   */
  acceptsBracketedPaste?(): boolean;
  /**
   * Whether the program in the foreground of the agent's terminal is a plain shell at its prompt
   * (bash, zsh, PowerShell, cmd…): text typed there would run as a command, so nothing is injected
   * unless `acceptsRelay()` says the user allowed it.
   */
  isShellPrompt?(): boolean;
  /** The user turned on "accept relay messages" for this agent, knowing a shell would run them. */
  acceptsRelay?(): boolean;
  /** Writes bytes to the agent's pty input. Throws if the agent cannot take input. */
  write(data: string): void;
  /** Calls `listener` whenever state() or lastHumanInputAt() may have changed; returns unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** The key a target's messages are queued under: its id, or its name for targets without one. */
export function targetKey(target: RelayTarget): string {
  return target.id ?? nameKey(target.name);
}

export function nameKey(name: string): string {
  return `name:${name.toLowerCase()}`;
}

type DirectoryListener = (event: { type: 'added' | 'removed'; name: string; key: string }) => void;

/** The agents the relay knows: running ones and ones defined but not started yet. */
export class TargetDirectory {
  private readonly targets = new Map<string, RelayTarget>();
  private readonly listeners = new Set<DirectoryListener>();

  add(target: RelayTarget): void {
    const key = target.name.toLowerCase();
    if (this.targets.has(key)) throw new Error(`an agent named ${target.name} is already in the relay directory`);
    this.targets.set(key, target);
    for (const listener of this.listeners) listener({ type: 'added', name: target.name, key: targetKey(target) });
  }

  remove(name: string): void {
    const target = this.targets.get(name.toLowerCase());
    if (!target) return;
    this.targets.delete(name.toLowerCase());
    for (const listener of this.listeners) listener({ type: 'removed', name: target.name, key: targetKey(target) });
  }

  /**
   * The target messages queued under `key` go to: the one with that id, or for a name key the
   * id-less target of that name (never an agent with an id that merely took the name).
   */
  byKey(key: string): RelayTarget | undefined {
    if (key.startsWith('name:')) {
      const target = this.targets.get(key.slice(5));
      return target && target.id === undefined ? target : undefined;
    }
    for (const target of this.targets.values()) if (target.id === key) return target;
    return undefined;
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

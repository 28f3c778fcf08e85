import type { AgentRunState, Clock, RelayTarget } from '../../../main/core/relay/relay-target.js';

/** A clock the test moves by hand; timers run when their time is passed. */
export class ManualClock implements Clock {
  private current: number;
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.current + ms, fn, live: true };
    this.timers.push(timer);
    return () => {
      timer.live = false;
    };
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.current = end;
    this.timers = this.timers.filter((t) => t.live);
  }
}

/** An agent stand-in that records what the relay wrote into its terminal. */
export class FakeAgent implements RelayTarget {
  readonly written: string[] = [];
  failWrites = false;
  /** A plain shell is at its prompt (relay text would run as a command). */
  shell = false;
  /** The user turned on "accept relay messages". */
  accept = false;
  private current: AgentRunState;
  private human: number | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly name: string,
    state: AgentRunState = 'idle',
    readonly id?: string,
  ) {
    this.current = state;
  }

  isShellPrompt(): boolean {
    return this.shell;
  }

  acceptsRelay(): boolean {
    return this.accept;
  }

  state(): AgentRunState {
    return this.current;
  }

  lastHumanInputAt(): number | null {
    return this.human;
  }

  write(data: string): void {
    if (this.current === 'exited' || this.failWrites) throw new Error('the pty is closed');
    this.written.push(data);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(state: AgentRunState): void {
    this.current = state;
    for (const listener of [...this.listeners]) listener();
  }

  humanTyped(at: number): void {
    this.human = at;
    for (const listener of [...this.listeners]) listener();
  }

  /** The plain text of each injection (bracketed-paste markers and Enter removed). */
  texts(): string[] {
    const start = '\x1b[200~';
    const end = '\x1b[201~\r';
    return this.written.map((w) => (w.startsWith(start) && w.endsWith(end) ? w.slice(start.length, -end.length) : w.endsWith('\r') ? w.slice(0, -1) : w));
  }

  /** Each message of each injection (a burst is one injection with one message per line). */
  messages(): string[] {
    return this.texts().flatMap((text) => text.split(/\n(?=Relay message from )/));
  }
}

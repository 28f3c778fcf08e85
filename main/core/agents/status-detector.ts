import { PROMPT_PATTERNS, type PromptPattern, type PromptProvider } from './prompt-patterns.js';

export type AgentStatus = 'starting' | 'working' | 'idle' | 'waiting_for_input' | 'exited';

/** What the driver gathers about an agent; detectStatus is a pure function of it. */
export interface StatusObservation {
  readonly now: number;
  readonly startedAt: number;
  /** When output last arrived; null before the first byte. */
  readonly lastOutputAt: number | null;
  readonly exited: boolean;
  /** The visible screen, wrapped lines joined. */
  readonly screen: ReadonlyArray<string>;
  /** Which provider's prompts to look for besides the generic ones; all providers when omitted. */
  readonly provider?: PromptProvider | undefined;
}

export interface StatusOptions {
  /** Quiet time after which an agent counts as idle. */
  readonly idleAfterMs?: number;
  /** Quiet time after which a prompt on screen counts as waiting for input. */
  readonly promptAfterMs?: number;
  readonly patterns?: ReadonlyArray<PromptPattern>;
}

export interface StatusVerdict {
  readonly status: AgentStatus;
  /** For waiting_for_input: what was recognised. */
  readonly reason?: string;
  /** When the verdict may change without new input (quiet thresholds), for the driver's timer. */
  readonly recheckAt?: number;
}

export const DEFAULT_IDLE_AFTER_MS = 1_500;
export const DEFAULT_PROMPT_AFTER_MS = 400;
/** Prompts sit at the bottom of the screen; older text higher up must not keep an agent "waiting". */
export const PROMPT_WINDOW_LINES = 15;

/** The prompt on screen that means the agent waits for the human, if any. */
export function findPrompt(
  screen: ReadonlyArray<string>,
  provider?: PromptProvider,
  patterns: ReadonlyArray<PromptPattern> = PROMPT_PATTERNS,
): PromptPattern | undefined {
  const nonBlank = screen.filter((line) => line.trim() !== '');
  const text = nonBlank.slice(-PROMPT_WINDOW_LINES).join('\n');
  return patterns.find((p) => (provider === undefined || p.provider === provider || p.provider === 'generic') && p.pattern.test(text));
}

/** starting → working (output flowing) → idle (quiet) / waiting_for_input (quiet with a prompt) → exited. */
export function detectStatus(obs: StatusObservation, options: StatusOptions = {}): StatusVerdict {
  if (obs.exited) return { status: 'exited' };
  const idleAfter = options.idleAfterMs ?? DEFAULT_IDLE_AFTER_MS;
  const promptAfter = Math.min(options.promptAfterMs ?? DEFAULT_PROMPT_AFTER_MS, idleAfter);
  const quietSince = obs.lastOutputAt ?? obs.startedAt;
  const quiet = obs.now - quietSince;

  if (quiet >= promptAfter) {
    const prompt = findPrompt(obs.screen, obs.provider, options.patterns);
    if (prompt) return { status: 'waiting_for_input', reason: `${prompt.provider} ${prompt.label}` };
  }
  if (quiet >= idleAfter) return { status: 'idle' };
  const recheckAt = quiet < promptAfter ? quietSince + promptAfter : quietSince + idleAfter;
  return { status: obs.lastOutputAt === null ? 'starting' : 'working', recheckAt };
}

export interface StatusDriverSource {
  readonly startedAt: number;
  readonly provider?: PromptProvider | undefined;
  lastOutputAt(): number | null;
  exited(): boolean;
  /** The screen once the mirror has parsed all output so far. */
  screen(): Promise<ReadonlyArray<string>>;
}

/**
 * Re-evaluates detectStatus when output arrives and when a quiet threshold passes, and reports
 * changes. Evaluation after output is throttled so a flood costs one evaluation per interval.
 */
export class StatusDriver {
  private current: StatusVerdict = { status: 'starting' };
  private timer: NodeJS.Timeout | undefined;
  private evaluating = false;
  private again = false;
  private disposed = false;

  constructor(
    private readonly source: StatusDriverSource,
    private readonly onChange: (verdict: StatusVerdict, previous: StatusVerdict) => void,
    private readonly options: StatusOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.schedule(0);
  }

  get verdict(): StatusVerdict {
    return this.current;
  }

  /** New output or an exit: evaluate soon. */
  poke(): void {
    if (this.current.status !== 'working' || this.source.exited()) this.schedule(0);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.disposed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.evaluate(), Math.max(0, delayMs));
    this.timer.unref();
  }

  private async evaluate(): Promise<void> {
    if (this.evaluating) {
      this.again = true;
      return;
    }
    this.evaluating = true;
    try {
      // The screen is read (a round trip to the mirror) only once output has been quiet long enough
      // for a prompt to count: a spinner redrawing in a working agent costs a timer, not a read.
      // (Same clock reading for the decision and the verdict, so they cannot disagree.)
      const before = this.now();
      const promptAfter = Math.min(this.options.promptAfterMs ?? DEFAULT_PROMPT_AFTER_MS, this.options.idleAfterMs ?? DEFAULT_IDLE_AFTER_MS);
      const needsScreen = !this.source.exited() && before - (this.source.lastOutputAt() ?? this.source.startedAt) >= promptAfter;
      const screen = needsScreen ? await this.source.screen() : [];
      if (this.disposed) return;
      const verdict = detectStatus(
        {
          now: needsScreen ? this.now() : before,
          startedAt: this.source.startedAt,
          lastOutputAt: this.source.lastOutputAt(),
          exited: this.source.exited(),
          screen,
          provider: this.source.provider,
        },
        this.options,
      );
      const previous = this.current;
      this.current = verdict;
      if (verdict.status !== previous.status || verdict.reason !== previous.reason) this.onChange(verdict, previous);
      if (verdict.recheckAt !== undefined) this.schedule(verdict.recheckAt - this.now() + 1);
    } finally {
      this.evaluating = false;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    }
  }
}

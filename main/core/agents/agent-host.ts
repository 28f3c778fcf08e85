import type { Logger } from '../logging/logger.js';
import { AgentError, fail, ok, type Result } from './agent-errors.js';
import type { AgentSpec } from './agent-spec.js';
import { FlowController, type FlowControlOptions } from './flow-control.js';
import { ListenerSet } from './listener-set.js';
import { OutputBatcher, type OutputBatcherOptions } from './output-batcher.js';
import { PtySession, type ExitInfo } from './pty-session.js';
import type { ForegroundProgram } from './foreground-program.js';
import { StatusDriver, type AgentStatus, type StatusOptions, type StatusVerdict } from './status-detector.js';
import { LocalMirror, type MirrorPort } from './mirror-port.js';
import { defaultMirrorWorker, MirrorThread } from './mirror-thread.js';
import type { OutputChunk, TerminalSnapshot } from './terminal-mirror.js';

/** An attached console: gets output chunks in seq order and acknowledges what it has parsed. */
export interface TerminalConsumer {
  data(chunk: OutputChunk): void;
  resize?(cols: number, rows: number): void;
  exit?(exit: ExitInfo): void;
}

export interface Attachment {
  /** Screen and scrollback up to snapshot.seq; write it into an xterm of snapshot.cols×rows first. */
  readonly snapshot: TerminalSnapshot;
  /** Starts the live stream with chunk snapshot.seq + 1 (chunks since the snapshot were held until now). */
  start(): void;
  /** The console has parsed this many characters (string length of chunk.data). */
  ack(chars: number): void;
  detach(): void;
}

export interface AgentInfo {
  readonly name: string;
  readonly status: AgentStatus;
  /** For waiting_for_input: which prompt was recognised. */
  readonly statusReason: string | null;
  readonly pid: number | null;
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly cwd: string;
  readonly provider: string | null;
  readonly cols: number;
  readonly rows: number;
  readonly startedAt: number;
  readonly exit: ExitInfo | null;
  readonly restarts: number;
  readonly lastOutputAt: number | null;
  readonly lastHumanInputAt: number | null;
}

export interface AgentHostOptions {
  /** Environment under the spec's own (usually the daemon's); AGENT_RELAY_NAME and TERM are set on top. */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly installHints?: Readonly<Record<string, string>>;
  readonly killGraceMs?: number;
  readonly flow?: FlowControlOptions;
  /**
   * The built mirror worker (terminal-mirror-worker.js) to parse this agent's mirror in, off the
   * event loop; false keeps the mirror in this thread. Default: the worker beside this bundle, if built.
   */
  readonly mirrorWorker?: string | false;
  /**
   * Watermarks for the mirror (in the mirror worker, or in this event loop); default 2,000,000 /
   * 500,000 characters.
   */
  readonly mirrorFlow?: { readonly highWatermark: number; readonly lowWatermark: number };
  readonly batch?: OutputBatcherOptions;
  readonly status?: StatusOptions;
  readonly logger?: Logger;
}

interface ConsumerEntry {
  readonly consumer: TerminalConsumer;
  live: boolean;
  held: OutputChunk[];
}

const MIRROR = 'mirror';
/**
 * The mirror may fall this far behind the live stream before it holds the pty (twice a console's
 * room, so under a flood the consoles set the pace and the mirror catches up when there is CPU).
 */
export const DEFAULT_MIRROR_FLOW = { highWatermark: 2_000_000, lowWatermark: 500_000 } as const;
/**
 * For this long after anything is typed or injected, output goes on at once whatever it is (the echo
 * a human or the relay waits for); after it, and with no console attached, small redraws may wait.
 */
export const LAZY_AFTER_INPUT_MS = 10_000;

/**
 * One agent: its pty, output batching, flow control, the headless mirror and status. Output goes
 * pty → batcher → numbered chunks → mirror + every attached console + output taps (the relay).
 */
export class AgentHost {
  private session: PtySession;
  private readonly batcher: OutputBatcher;
  private readonly flow: FlowController;
  private readonly mirror: MirrorPort;
  private status: StatusDriver;
  private readonly consumers = new Map<string, ConsumerEntry>();
  private readonly outputTaps = new ListenerSet<OutputChunk>();
  private readonly statusListeners = new ListenerSet<{ verdict: StatusVerdict; previous: StatusVerdict }>();
  private readonly exitListeners = new ListenerSet<ExitInfo>();
  private seq = 0;
  private nextConsumerId = 1;
  private lastOutput: number | null = null;
  private lastHumanInput: number | null = null;
  /** When anything was last written to the pty (typed or injected). */
  private lastWrite = 0;
  private restartCount = 0;
  private disposed = false;

  private constructor(
    readonly spec: AgentSpec,
    session: PtySession,
    private readonly options: AgentHostOptions,
  ) {
    this.session = session;
    // The mirror may hold as much output unparsed as its watermark lets the pty run ahead.
    const holdChars = (options.mirrorFlow ?? DEFAULT_MIRROR_FLOW).highWatermark;
    const mirrorOptions = { cols: spec.cols, rows: spec.rows, scrollback: spec.scrollback, holdChars };
    const worker = options.mirrorWorker === false ? undefined : (options.mirrorWorker ?? defaultMirrorWorker());
    this.mirror = worker ? MirrorThread.for(worker).open(mirrorOptions) : new LocalMirror(mirrorOptions);
    this.flow = new FlowController(session, options.flow);
    // The mirror is a consumer too, so a mirror that cannot keep up also pauses the pty.
    this.flow.addConsumer(MIRROR, 0, options.mirrorFlow ?? DEFAULT_MIRROR_FLOW);
    this.mirror.onParsed((_seq, chars) => this.flow.ack(MIRROR, chars));
    this.mirror.onFailed((error) => {
      // A dead mirror must not hold the pty paused; attaching reports the failure.
      options.logger?.error('terminal mirror failed', { name: spec.name, error: error.message });
      this.flow.removeConsumer(MIRROR);
    });
    this.batcher = new OutputBatcher((data) => this.emitChunk(data), options.batch);
    this.status = this.createStatusDriver();
    this.bindSession(session);
  }

  /** Starts the agent's process; a missing command or folder is an error value, not a dead pty. */
  static start(spec: AgentSpec, options: AgentHostOptions = {}): Result<AgentHost> {
    const session = PtySession.spawn(AgentHost.ptySpec(spec, options), {
      ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
      ...(options.installHints ? { installHints: options.installHints } : {}),
    });
    if (!session.ok) return session;
    const host = new AgentHost(spec, session.value, options);
    options.logger?.info('agent started', { name: spec.name, command: spec.command, cwd: spec.cwd, pid: session.value.pid });
    return ok(host);
  }

  private static ptySpec(spec: AgentSpec, options: AgentHostOptions) {
    return {
      command: spec.command,
      args: spec.args,
      cwd: spec.cwd,
      // The mirror and consoles are xterm: a daemon started with TERM=dumb must not pass that on.
      env: { ...options.baseEnv, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...spec.env, AGENT_RELAY_NAME: spec.name },
      cols: spec.cols,
      rows: spec.rows,
    };
  }

  get name(): string {
    return this.spec.name;
  }

  get info(): AgentInfo {
    const verdict = this.status.verdict;
    const exit = this.session.exit;
    return {
      name: this.spec.name,
      status: exit ? 'exited' : verdict.status,
      statusReason: exit ? null : (verdict.reason ?? null),
      pid: exit ? null : this.session.pid,
      command: this.spec.command,
      args: this.spec.args,
      cwd: this.spec.cwd,
      provider: this.spec.provider ?? null,
      cols: this.mirror.cols,
      rows: this.mirror.rows,
      startedAt: this.session.startedAt,
      exit: exit ?? null,
      restarts: this.restartCount,
      lastOutputAt: this.lastOutput,
      lastHumanInputAt: this.lastHumanInput,
    };
  }

  get running(): boolean {
    return this.session.running;
  }
  get lastOutputAt(): number | null {
    return this.lastOutput;
  }
  /** When a human last typed here; the relay waits a moment after it before injecting. */
  get lastHumanInputAt(): number | null {
    return this.lastHumanInput;
  }
  get currentStatus(): AgentStatus {
    return this.session.exit ? 'exited' : this.status.verdict.status;
  }
  /** Flow-control figures, for tests, benchmarks and diagnostics. */
  get flowStats(): { paused: boolean; pauses: number; maxUnacked: number; mirrorBacklog: number; lastSeq: number } {
    return { paused: this.flow.paused, pauses: this.flow.pauseCount, maxUnacked: this.flow.maxUnacked, mirrorBacklog: this.mirror.backlogChars, lastSeq: this.seq };
  }

  /**
   * Attaches a console. The snapshot covers every chunk up to its seq; chunks after it are held
   * (and count as unacknowledged) until start(), then delivered in order: no gap, no duplicate.
   */
  async attach(consumer: TerminalConsumer): Promise<Attachment> {
    if (this.disposed) throw new AgentError('agent_not_found', `Agent ${this.spec.name} was removed.`, { name: this.spec.name });
    const id = `c${this.nextConsumerId++}`;
    // Output waiting on the lazy clock goes on now: a console shows it.
    this.batcher.flush();
    const entry: ConsumerEntry = { consumer, live: false, held: [] };
    this.consumers.set(id, entry);
    this.flow.addConsumer(id);
    let snapshot: TerminalSnapshot;
    try {
      snapshot = await this.mirror.snapshot();
    } catch (error) {
      this.consumers.delete(id);
      this.flow.removeConsumer(id);
      if (this.disposed) throw new AgentError('agent_not_found', `Agent ${this.spec.name} was removed.`, { name: this.spec.name });
      throw new AgentError('terminal_unavailable', `The terminal of ${this.spec.name} could not be read: ${(error as Error).message}`, { name: this.spec.name });
    }
    let detached = false;
    return {
      snapshot,
      start: () => {
        if (detached || entry.live) return;
        entry.live = true;
        const held = entry.held;
        entry.held = [];
        for (const chunk of held) consumer.data(chunk);
        const exit = this.session.exit;
        if (exit) consumer.exit?.(exit);
      },
      ack: (chars) => {
        if (!detached) this.flow.ack(id, chars);
      },
      detach: () => {
        if (detached) return;
        detached = true;
        this.consumers.delete(id);
        entry.held = [];
        this.flow.removeConsumer(id);
      },
    };
  }

  /** Raw output chunks for the relay parser (not flow-controlled: the tap must be synchronous and cheap). */
  onOutput(listener: (chunk: OutputChunk) => void): () => void {
    return this.outputTaps.on(listener);
  }

  onStatus(listener: (change: { verdict: StatusVerdict; previous: StatusVerdict }) => void): () => void {
    return this.statusListeners.on(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): () => void {
    return this.exitListeners.on(listener);
  }

  /** Keystrokes from a human console; remembered so the relay does not inject while someone types. */
  input(data: string): boolean {
    this.lastHumanInput = Date.now();
    this.lastWrite = this.lastHumanInput;
    return this.session.write(data);
  }

  /** The program keystrokes go to now (the relay injects nothing at a plain shell prompt); null once exited. */
  foregroundProgram(): ForegroundProgram | null {
    return this.session.running ? this.session.foreground() : null;
  }

  /** Bytes from the relay, written as given (the relay sanitizes and wraps them in bracketed paste). */
  inject(data: string): boolean {
    this.lastWrite = Date.now();
    return this.session.write(data);
  }

  resize(cols: number, rows: number): Result<{ cols: number; rows: number }> {
    const size = this.session.resize(cols, rows);
    if (!size.ok) return size;
    this.mirror.resize(cols, rows);
    for (const entry of this.consumers.values()) entry.consumer.resize?.(cols, rows);
    return size;
  }

  /** The visible screen as plain text, after all output so far is parsed. */
  async screenText(): Promise<string[]> {
    this.batcher.flush();
    return this.mirror.screenText();
  }

  /** A snapshot without attaching (e.g. for a read-only view). */
  snapshot(): Promise<TerminalSnapshot> {
    this.batcher.flush();
    return this.mirror.snapshot();
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  kill(graceMs?: number): Promise<ExitInfo> {
    this.options.logger?.info('agent kill', { name: this.spec.name, pid: this.session.pid });
    return this.session.kill(graceMs);
  }

  /** Stops the process if it runs and starts the same spec again; consoles stay attached. */
  async restart(): Promise<Result<AgentInfo>> {
    if (this.disposed) return fail(new AgentError('agent_not_found', `Agent ${this.spec.name} was removed.`, { name: this.spec.name }));
    if (this.session.running) await this.session.kill();
    const next = PtySession.spawn(AgentHost.ptySpec({ ...this.spec, cols: this.mirror.cols, rows: this.mirror.rows }, this.options), {
      ...(this.options.killGraceMs !== undefined ? { killGraceMs: this.options.killGraceMs } : {}),
      ...(this.options.installHints ? { installHints: this.options.installHints } : {}),
    });
    if (!next.ok) return next;
    this.session = next.value;
    this.restartCount += 1;
    this.lastOutput = null;
    this.flow.retarget(next.value);
    this.status.dispose();
    const previous = this.status.verdict;
    this.status = this.createStatusDriver();
    this.statusListeners.emit({ verdict: this.status.verdict, previous });
    this.bindSession(next.value);
    this.options.logger?.info('agent restarted', { name: this.spec.name, pid: next.value.pid });
    return ok(this.info);
  }

  /** Kills the process if needed and releases everything. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    if (this.session.running) await this.session.kill();
    this.disposed = true;
    this.status.dispose();
    this.batcher.dispose();
    this.mirror.dispose();
    this.consumers.clear();
    this.outputTaps.clear();
    this.statusListeners.clear();
    this.exitListeners.clear();
  }

  private createStatusDriver(): StatusDriver {
    const session = this.session;
    return new StatusDriver(
      {
        startedAt: session.startedAt,
        provider: this.spec.provider,
        lastOutputAt: () => this.lastOutput,
        exited: () => !session.running,
        // A mirror closed or failed meanwhile reads as a blank screen: status is best effort.
        screen: () => this.mirror.logicalScreenText().catch(() => []),
      },
      (verdict, previous) => this.statusListeners.emit({ verdict, previous }),
      this.options.status,
    );
  }

  private bindSession(session: PtySession): void {
    session.onData((data) => {
      const now = Date.now();
      this.lastOutput = now;
      // Nobody waits for it: no console, nothing typed or injected lately (the batcher decides what may wait).
      this.batcher.push(data, this.consumers.size === 0 && now - this.lastWrite >= LAZY_AFTER_INPUT_MS);
      this.status.poke();
    });
    session.onExit((exit) => {
      this.batcher.flush();
      this.options.logger?.info('agent exited', { name: this.spec.name, exitCode: exit.exitCode, signal: exit.signalName ?? 'none' });
      if (session !== this.session) return;
      this.status.poke();
      for (const entry of this.consumers.values()) if (entry.live) entry.consumer.exit?.(exit);
      this.exitListeners.emit(exit);
    });
  }

  private emitChunk(data: string): void {
    if (this.disposed) return;
    const chunk: OutputChunk = { seq: ++this.seq, data };
    // Counted before delivery, so a console that acknowledges synchronously is not clamped at zero.
    this.flow.sent(data.length);
    // The consoles first: the mirror may fall behind the live stream (an attach waits for it).
    for (const entry of this.consumers.values()) {
      if (entry.live) entry.consumer.data(chunk);
      else entry.held.push(chunk);
    }
    this.mirror.write(chunk);
    this.outputTaps.emit(chunk);
  }
}

import fs from 'node:fs';
import os from 'node:os';
import * as pty from 'node-pty';
import { AgentError, fail, ok, type Result } from './agent-errors.js';
import { resolveCommand } from './command-resolver.js';
import { readForegroundProgram, type ForegroundProgram } from './foreground-program.js';
import { ListenerSet } from './listener-set.js';

export interface PtySpec {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly cwd: string;
  /** The full environment of the process (the caller merges in the daemon's own if it wants it). */
  readonly env: Readonly<Record<string, string>>;
  readonly cols: number;
  readonly rows: number;
}

export interface PtySessionOptions {
  /** Time between SIGTERM and SIGKILL in kill(). */
  readonly killGraceMs?: number;
  readonly installHints?: Readonly<Record<string, string>>;
}

export interface ExitInfo {
  readonly exitCode: number;
  /** Signal number that ended the process, or null when it exited by itself. */
  readonly signal: number | null;
  readonly signalName: string | null;
  readonly at: number;
}

export const DEFAULT_KILL_GRACE_MS = 5_000;
export const MAX_COLS = 2_000;
export const MAX_ROWS = 1_000;

const signalNames = new Map<number, string>(Object.entries(os.constants.signals).map(([name, num]) => [num, name]));

/** Sizes a pty and xterm accept; everything else is refused with `invalid_size`. */
export function validateSize(cols: number, rows: number): Result<{ cols: number; rows: number }> {
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 1 || rows < 1 || cols > MAX_COLS || rows > MAX_ROWS) {
    return fail(
      new AgentError('invalid_size', `Terminal size ${cols}x${rows} is not valid: columns must be 1–${MAX_COLS} and rows 1–${MAX_ROWS}, whole numbers.`, {
        cols,
        rows,
      }),
    );
  }
  return ok({ cols, rows });
}

/** One process in a pseudo-terminal: input, resize, pause/resume, kill with a grace period, exit kept. */
export class PtySession {
  private readonly dataListeners = new ListenerSet<string>();
  private readonly exitListeners = new ListenerSet<ExitInfo>();
  private exitInfo: ExitInfo | undefined;
  private isPaused = false;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<ExitInfo>;

  private constructor(
    readonly spec: PtySpec,
    readonly executable: string,
    private readonly child: pty.IPty,
    private readonly options: PtySessionOptions,
    readonly startedAt: number,
  ) {
    child.onData((data) => this.dataListeners.emit(data));
    this.exited = new Promise((resolve) => {
      child.onExit(({ exitCode, signal }) => {
        if (this.killTimer) clearTimeout(this.killTimer);
        const sig = signal ? signal : null;
        this.exitInfo = { exitCode, signal: sig, signalName: sig === null ? null : (signalNames.get(sig) ?? `signal ${sig}`), at: Date.now() };
        this.exitListeners.emit(this.exitInfo);
        this.dataListeners.clear();
        this.exitListeners.clear();
        resolve(this.exitInfo);
      });
    });
  }

  /** Resolves the command on the agent's PATH first, so a missing CLI is a clear `command_not_found`. */
  static spawn(spec: PtySpec, options: PtySessionOptions = {}): Result<PtySession> {
    const size = validateSize(spec.cols, spec.rows);
    if (!size.ok) return size;
    try {
      if (!fs.statSync(spec.cwd).isDirectory()) throw new Error('not a directory');
    } catch {
      return fail(new AgentError('cwd_not_found', `Working folder ${spec.cwd} does not exist or is not a folder.`, { cwd: spec.cwd }));
    }
    const resolved = resolveCommand(spec.command, {
      cwd: spec.cwd,
      pathEnv: spec.env.PATH ?? spec.env.Path,
      ...(options.installHints ? { installHints: options.installHints } : {}),
    });
    if (!resolved.ok) return resolved;
    try {
      const child = pty.spawn(resolved.value, [...spec.args], {
        name: spec.env.TERM ?? 'xterm-256color',
        cols: spec.cols,
        rows: spec.rows,
        cwd: spec.cwd,
        env: { ...spec.env },
        // Windows: node-pty's own conpty.dll, so killing an agent does not briefly fork a console of the app.
        ...(process.platform === 'win32' ? { useConptyDll: true } : {}),
      });
      return ok(new PtySession(spec, resolved.value, child, options, Date.now()));
    } catch (error) {
      return fail(
        new AgentError('spawn_failed', `Could not start "${spec.command}": ${error instanceof Error ? error.message : String(error)}.`, {
          command: spec.command,
        }),
      );
    }
  }

  /** A new process from the same spec (the old one must have exited). */
  respawn(): Result<PtySession> {
    return PtySession.spawn(this.spec, this.options);
  }

  get pid(): number {
    return this.child.pid;
  }
  get cols(): number {
    return this.child.cols;
  }
  get rows(): number {
    return this.child.rows;
  }
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }
  get running(): boolean {
    return this.exitInfo === undefined;
  }
  get paused(): boolean {
    return this.isPaused;
  }

  onData(listener: (data: string) => void): () => void {
    return this.dataListeners.on(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): () => void {
    if (this.exitInfo) {
      const info = this.exitInfo;
      queueMicrotask(() => listener(info));
      return () => undefined;
    }
    return this.exitListeners.on(listener);
  }

  /** The program in the foreground of this terminal now (the one keystrokes go to). */
  foreground(): ForegroundProgram {
    const child = this.child;
    return readForegroundProgram({ pid: child.pid, ptyProcess: () => child.process, command: this.spec.command, args: this.spec.args });
  }

  /** Resolves once the process has exited. */
  whenExited(): Promise<ExitInfo> {
    return this.exited;
  }

  /** Writes to the process's terminal; ignored once it has exited. Returns whether it was written. */
  write(data: string): boolean {
    if (!this.running) return false;
    this.child.write(data);
    return true;
  }

  resize(cols: number, rows: number): Result<{ cols: number; rows: number }> {
    const size = validateSize(cols, rows);
    if (!size.ok || !this.running) return size;
    try {
      this.child.resize(cols, rows);
    } catch {
      // The process may exit between the check and the ioctl; the exit event says so.
    }
    return size;
  }

  /** Stops reading the pty: the process blocks on write once the kernel buffer fills. */
  pause(): void {
    if (this.isPaused || !this.running) return;
    this.isPaused = true;
    this.child.pause();
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    if (this.running) this.child.resume();
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves with the exit. */
  kill(graceMs = this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS): Promise<ExitInfo> {
    if (!this.running) return this.exited;
    // A paused pty never reads the EOF that node-pty waits for before reporting the exit.
    this.resume();
    this.signal('SIGTERM');
    if (!this.killTimer) {
      this.killTimer = setTimeout(() => this.signal('SIGKILL'), graceMs);
      this.killTimer.unref();
    }
    return this.exited;
  }

  private signal(name: 'SIGTERM' | 'SIGKILL'): void {
    if (!this.running) return;
    if (process.platform === 'win32') {
      this.child.kill();
      return;
    }
    try {
      // The child leads its own session: signal the whole group so its children go too.
      process.kill(-this.child.pid, name);
    } catch {
      try {
        this.child.kill(name);
      } catch {
        // Already gone.
      }
    }
  }
}

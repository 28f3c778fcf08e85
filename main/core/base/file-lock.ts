import fs from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * One writer at a time per file, across processes: a `<file>.lock` directory (proper-lockfile) whose
 * mtime the holder refreshes while it works (the heartbeat). A holder that died (kill -9, power
 * loss) stops refreshing; once the lock is older than `staleMs` the next writer takes it over. A
 * writer that cannot get the lock within `waitMs` gets `data_busy` naming the file, before it has
 * changed anything.
 */

export type FileLockErrorCode = 'data_busy' | 'lock_lost';

export class FileLockError extends Error {
  constructor(
    readonly code: FileLockErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileLockError';
  }
}

export interface FileLockOptions {
  /** Longest wait for another holder (default 10 s, or AGENT_RELAY_LOCK_WAIT_MS). */
  readonly waitMs?: number;
  /**
   * A lock not refreshed for this long is a dead holder's (default 5 s, heartbeat every half of it;
   * proper-lockfile's floor is 2 s). Kept below the wait, so a crashed holder never makes a writer fail.
   */
  readonly staleMs?: number;
  /** Stops waiting early (the error is then the signal's reason). */
  readonly signal?: AbortSignal;
}

export interface HeldLock {
  readonly file: string;
  /** True once the heartbeat failed and another process may have taken the lock over. */
  readonly compromised: boolean;
  /** Throws `lock_lost` when compromised: call it just before committing a write. */
  assertHeld(): void;
  release(): Promise<void>;
}

export const LOCK_WAIT_ENV = 'AGENT_RELAY_LOCK_WAIT_MS';
export const DEFAULT_LOCK_WAIT_MS = 10_000;
export const DEFAULT_LOCK_STALE_MS = 5_000;

function defaultWaitMs(): number {
  const fromEnv = Number(process.env[LOCK_WAIT_ENV]);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env[LOCK_WAIT_ENV] !== '' ? fromEnv : DEFAULT_LOCK_WAIT_MS;
}

/** The lock directory is owner-only like everything else in the data folder. */
const ownerOnlyFs = {
  ...fs,
  mkdir: (dir: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(dir, { mode: 0o700 }, callback),
  mkdirSync: (dir: string) => fs.mkdirSync(dir, { mode: 0o700 }),
};

function busyError(file: string, waitMs: number): FileLockError {
  return new FileLockError(
    'data_busy',
    file,
    `Another Agent Relay process is writing ${file} and did not finish within ${formatSeconds(waitMs)}; nothing was changed. Try again in a moment.`,
  );
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function isLocked(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED';
}

/** Waits between tries: short at first, then up to 200 ms, with jitter so waiters do not march in step. */
function backoff(attempt: number): number {
  return Math.min(200, 10 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random());
}

interface State {
  compromised: boolean;
}

function lockOptions(staleMs: number, state: State, file: string): lockfile.LockOptions {
  return {
    stale: staleMs,
    realpath: false,
    fs: ownerOnlyFs,
    onCompromised: () => {
      // The default throws from a timer and crashes the process; the holder checks assertHeld() instead.
      state.compromised = true;
      void file;
    },
  };
}

function held(file: string, state: State, release: () => Promise<void> | void): HeldLock {
  let released = false;
  return {
    file,
    get compromised() {
      return state.compromised;
    },
    assertHeld() {
      if (state.compromised) {
        throw new FileLockError('lock_lost', file, `Agent Relay lost its lock on ${file} while writing it; nothing was changed. Try again.`);
      }
    },
    async release() {
      if (released) return;
      released = true;
      if (state.compromised) return;
      try {
        await release();
      } catch {
        // Already released or taken over as stale: nothing of ours is left to remove.
      }
    },
  };
}

export async function acquireFileLock(file: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const waitMs = options.waitMs ?? defaultWaitMs();
  const deadline = Date.now() + waitMs;
  const state: State = { compromised: false };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt += 1) {
    options.signal?.throwIfAborted();
    try {
      const release = await lockfile.lock(file, lockOptions(options.staleMs ?? DEFAULT_LOCK_STALE_MS, state, file));
      return held(file, state, release);
    } catch (error) {
      if (!isLocked(error)) throw error;
    }
    const left = deadline - Date.now();
    if (left <= 0) throw busyError(file, waitMs);
    await sleep(Math.min(left, backoff(attempt)), options.signal);
  }
}

/** Runs `task` holding the lock on `file`; the lock is released however the task ends. */
export async function withFileLock<T>(file: string, task: (lock: HeldLock) => Promise<T> | T, options: FileLockOptions = {}): Promise<T> {
  const lock = await acquireFileLock(file, options);
  try {
    return await task(lock);
  } finally {
    await lock.release();
  }
}

/**
 * The same for synchronous writers (settings, the audit log). It blocks while it waits, so it is
 * only for short critical sections that never await; nothing in this process can hold that lock
 * meanwhile, since a synchronous holder finishes before anything else runs.
 */
export function withFileLockSync<T>(file: string, task: (lock: HeldLock) => T, options: Omit<FileLockOptions, 'signal'> = {}): T {
  const waitMs = options.waitMs ?? defaultWaitMs();
  const deadline = Date.now() + waitMs;
  const state: State = { compromised: false };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let release: (() => void) | undefined;
  for (let attempt = 0; !release; attempt += 1) {
    try {
      release = lockfile.lockSync(file, lockOptions(options.staleMs ?? DEFAULT_LOCK_STALE_MS, state, file));
    } catch (error) {
      if (!isLocked(error)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) throw busyError(file, waitMs);
      sleepSync(Math.min(left, backoff(attempt)));
    }
  }
  const lock = held(file, state, release);
  try {
    return task(lock);
  } finally {
    if (!state.compromised) {
      try {
        release();
      } catch {
        // Taken over as stale meanwhile: nothing of ours is left to remove.
      }
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

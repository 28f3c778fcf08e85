import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AuthFailure } from './auth-errors.js';

/**
 * A lock file shared by every process that uses one data dir: created with O_EXCL, holding the
 * owner's pid, a nonce and the time. A lock whose owner died, or that is older than `staleMs`,
 * is taken over, so a crash mid-refresh never blocks refreshing for good.
 */

export interface LockOptions {
  readonly staleMs?: number;
  readonly waitMs?: number;
  readonly retryMs?: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_LOCK_STALE_MS = 30_000;
const DEFAULT_LOCK_WAIT_MS = 60_000;

interface LockContent {
  readonly pid: number;
  readonly nonce: string;
  readonly time: number;
}

export function lockPathFor(lockDir: string, key: string): string {
  // The account key may hold characters a file name cannot: hash it.
  return path.join(lockDir, `refresh-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid === 'number' && typeof parsed.time === 'number' && typeof parsed.nonce === 'string') return parsed as LockContent;
  } catch {
    // Half-written or vanished: treated as no valid holder below.
  }
  return undefined;
}

/** The holder judged stale (its nonce, or '' for an unreadable file), or undefined when the lock is live. */
function staleHolder(file: string, staleMs: number): string | undefined {
  const content = readLock(file);
  if (!content) {
    // A lock file nobody could finish writing: stale once it is old.
    try {
      return Date.now() - fs.statSync(file).mtimeMs > staleMs ? '' : undefined;
    } catch {
      return undefined;
    }
  }
  return Date.now() - content.time > staleMs || !processAlive(content.pid) ? content.nonce : undefined;
}

export type ReleaseLock = () => void;

export async function acquireFileLock(file: string, options: LockOptions = {}): Promise<ReleaseLock> {
  const staleMs = options.staleMs ?? DEFAULT_LOCK_STALE_MS;
  const deadline = Date.now() + (options.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  const retryMs = options.retryMs ?? 25;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const content: LockContent = { pid: process.pid, nonce: crypto.randomBytes(8).toString('hex'), time: Date.now() };
  for (;;) {
    if (options.signal?.aborted) throw new AuthFailure('cancelled', 'The refresh was cancelled.');
    try {
      const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
      try {
        fs.writeSync(fd, JSON.stringify({ ...content, time: Date.now() }));
      } finally {
        fs.closeSync(fd);
      }
      return () => {
        // Remove only our own lock: a stale takeover may have replaced it.
        if (readLock(file)?.nonce === content.nonce) fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stale = staleHolder(file, staleMs);
    if (stale !== undefined) {
      // Move it aside, and put it back if what moved was a fresh lock another process just took.
      const aside = `${file}.${content.nonce}.stale`;
      try {
        fs.renameSync(file, aside);
        const moved = readLock(aside);
        if (moved && moved.nonce !== stale) {
          try {
            fs.linkSync(aside, file);
          } catch {
            // A third process holds it now; its lock stands.
          }
        }
        fs.rmSync(aside, { force: true });
      } catch {
        // Someone else took it over first; loop and try again.
      }
      continue;
    }
    if (Date.now() >= deadline) {
      throw new AuthFailure('lock_timeout', 'Another Agent Relay process has been refreshing this account for too long. Try again in a moment.');
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

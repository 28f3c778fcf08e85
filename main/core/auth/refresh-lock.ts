import crypto from 'node:crypto';
import path from 'node:path';
import { FileLockError, acquireFileLock as acquireDataLock } from '../base/file-lock.js';
import { AuthFailure } from './auth-errors.js';

/**
 * One refresh at a time per account across every process that uses one data dir: the data folder's
 * file lock (proper-lockfile), whose holder keeps it fresh with a heartbeat while its token request
 * runs. A holder that died stops the heartbeat and its lock goes stale after `staleMs`; a live one
 * keeps it however long the request takes, and every token request has a timeout of its own
 * (oauth-client), so a hung request cannot let a second process refresh the same account.
 */

export interface LockOptions {
  readonly staleMs?: number;
  readonly waitMs?: number;
  readonly signal?: AbortSignal;
}

export const DEFAULT_LOCK_STALE_MS = 10_000;
const DEFAULT_LOCK_WAIT_MS = 60_000;

/** What is locked for an account (the lock itself is `<this>.lock`, a directory). */
export function lockPathFor(lockDir: string, key: string): string {
  // The account key may hold characters a file name cannot: hash it.
  return path.join(lockDir, `refresh-${crypto.createHash('sha256').update(key).digest('hex').slice(0, 32)}.account`);
}

export type ReleaseLock = () => Promise<void>;

export async function acquireFileLock(file: string, options: LockOptions = {}): Promise<ReleaseLock> {
  try {
    const lock = await acquireDataLock(file, {
      staleMs: options.staleMs ?? DEFAULT_LOCK_STALE_MS,
      waitMs: options.waitMs ?? DEFAULT_LOCK_WAIT_MS,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return () => lock.release();
  } catch (error) {
    if (error instanceof FileLockError) {
      throw new AuthFailure('lock_timeout', 'Another Agent Relay process has been refreshing this account for too long. Try again in a moment.');
    }
    if (options.signal?.aborted) throw new AuthFailure('cancelled', 'The refresh was cancelled.');
    throw error;
  }
}

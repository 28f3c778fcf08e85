import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthFailure } from '../../../main/core/auth/auth-errors.js';
import { acquireFileLock, lockPathFor } from '../../../main/core/auth/refresh-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function lockFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
  dirs.push(dir);
  return lockPathFor(dir, 'anthropic/work account');
}

describe('the refresh lock across processes', () => {
  it('is an owner-only lock beside the account key while taken, and gone after release', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file);
    expect(fs.statSync(`${file}.lock`).isDirectory()).toBe(true);
    expect((fs.statSync(`${file}.lock`).mode & 0o777).toString(8)).toBe('700');
    await release();
    expect(fs.readdirSync(path.dirname(file))).toEqual([]);
  });

  it('a second taker waits until the first releases', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file);
    const order: string[] = [];
    const second = acquireFileLock(file).then((r) => {
      order.push('second');
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    order.push('first released');
    await release();
    await (await second)();
    expect(order).toEqual(['first released', 'second']);
  });

  it('takes over a lock nobody has refreshed for longer than the stale limit (its owner died)', async () => {
    const file = lockFile();
    fs.mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.lock`, old, old);
    const release = await acquireFileLock(file, { staleMs: 5000, waitMs: 1000 });
    await release();
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('a live owner keeps its lock fresh with a heartbeat however long it holds it: the other gives up with lock_timeout', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file, { staleMs: 2000 });
    // Waiting 3.5 s is well past the 2 s stale limit: only the heartbeat keeps the lock live.
    const error = await acquireFileLock(file, { staleMs: 2000, waitMs: 3500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailure);
    expect((error as AuthFailure).code).toBe('lock_timeout');
    await release();
  });
});

import { spawnSync } from 'node:child_process';
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

/** A pid that certainly belongs to no running process: one that just exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('cross-process lock file', () => {
  it('holds pid and time while taken, and is gone after release', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file);
    const content = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; time: number };
    expect(content.pid).toBe(process.pid);
    expect(Math.abs(content.time - Date.now())).toBeLessThan(60_000);
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a second taker waits until the first releases', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file);
    const order: string[] = [];
    const second = acquireFileLock(file, { retryMs: 5 }).then((r) => {
      order.push('second');
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    order.push('first released');
    release();
    (await second)();
    expect(order).toEqual(['first released', 'second']);
  });

  it('takes over a lock whose owner died', async () => {
    const file = lockFile();
    fs.writeFileSync(file, JSON.stringify({ pid: deadPid(), nonce: 'dead', time: Date.now() }));
    const release = await acquireFileLock(file, { waitMs: 1000 });
    expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number }).pid).toBe(process.pid);
    release();
  });

  it('takes over a lock older than the stale limit even if its owner lives', async () => {
    const file = lockFile();
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, nonce: 'old', time: Date.now() - 120_000 }));
    const release = await acquireFileLock(file, { staleMs: 30_000, waitMs: 1000 });
    release();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('gives up with lock_timeout while a live owner keeps a fresh lock', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file);
    const error = await acquireFileLock(file, { waitMs: 100, retryMs: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailure);
    expect((error as AuthFailure).code).toBe('lock_timeout');
    release();
  });

  it('release never removes a lock another process took over', async () => {
    const file = lockFile();
    const release = await acquireFileLock(file);
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, nonce: 'someone-else', time: Date.now() }));
    release();
    expect(fs.existsSync(file)).toBe(true);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLockError, acquireFileLock, withFileLock, withFileLockSync } from '../../../main/core/base/file-lock.js';
import { makeTempDir } from '../../support/temp-dir.js';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

describe('file lock', () => {
  it('runs writers one at a time, in the order they got the lock', async () => {
    const file = path.join(tmp.dir, 'data.json');
    const log: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withFileLock(file, async () => {
          log.push(`${name} in`);
          await new Promise((r) => setTimeout(r, 20));
          log.push(`${name} out`);
        }),
      ),
    );
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace('in', 'out'));
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('a writer that waits too long gets data_busy naming the file, and its task never runs', async () => {
    const file = path.join(tmp.dir, 'vault.bin');
    const held = await acquireFileLock(file);
    let ran = false;
    const error = await withFileLock(file, () => (ran = true), { waitMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileLockError);
    expect(error).toMatchObject({ code: 'data_busy', file, message: expect.stringContaining(`writing ${file}`) });
    expect(() => withFileLockSync(file, () => (ran = true), { waitMs: 50 })).toThrow(/nothing was changed/);
    expect(ran).toBe(false);
    await held.release();
  });

  it('a holder whose lock was taken over as stale is told before it writes (lock_lost)', async () => {
    const file = path.join(tmp.dir, 'settings.json');
    const held = await acquireFileLock(file, { staleMs: 2000 });
    // Someone judged it stale and replaced it: the heartbeat notices the lock is no longer ours.
    fs.rmSync(`${file}.lock`, { recursive: true });
    fs.mkdirSync(`${file}.lock`);
    await expect.poll(() => held.compromised, { timeout: 5000 }).toBe(true);
    expect(() => held.assertHeld()).toThrow(FileLockError);
    await held.release();
    // The other process's lock stays.
    expect(fs.existsSync(`${file}.lock`)).toBe(true);
  });
});

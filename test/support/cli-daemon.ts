import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCliProcess, type CliRun } from './cli-process.js';
import { makeTempDir } from './temp-dir.js';

/** A file under test/fixtures. */
export const fixture = (name: string): string => path.resolve('test/fixtures', name);

/** One CLI command against a data folder, run to its end: its exit code, stdout and stderr. */
export async function cli(dataDir: string, args: readonly string[]): Promise<{ code: number | null; out: string; err: string }> {
  const run = runCliProcess(['--data-dir', dataDir, ...args]);
  const { code } = await run.exited;
  return { code, out: run.stdout.join('\n'), err: run.stderr.join('\n') };
}

/**
 * A daemon (`up`) on a fresh data folder for the tests of one describe block, as a user starts it:
 * running before the first test, stopped and its folder removed after the last.
 */
export function useDaemon(): { readonly dir: string } {
  const tmp = makeTempDir();
  let daemon: CliRun;
  beforeAll(async () => {
    daemon = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', tmp.dir]);
    await daemon.firstLine;
  });
  afterAll(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    tmp.cleanup();
  });
  return { dir: tmp.dir };
}

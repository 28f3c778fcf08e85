import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, runCliProcess, type CliRun } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

// `agent-relay-desktop agents | head -1`: the reader goes away before (or while) the command writes.
// Every command must then end as it would have, quietly: status 0, nothing on stderr.

/** Runs the CLI with a stdout pipe whose reading end is closed before the command writes anything. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    env: { ...process.env, AGENT_RELAY_DATA_DIR: '', AGENT_RELAY_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The reader is gone at once: the CLI's first write meets a closed pipe (EPIPE).
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

describe('commands whose reader closed the pipe', () => {
  const tmp = makeTempDir();
  let daemon: CliRun;

  beforeAll(async () => {
    daemon = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', tmp.dir]);
    await daemon.firstLine;
    const spawned = runCliProcess(['spawn', '--name', 'Bob', '--data-dir', tmp.dir, '--', process.execPath, path.resolve('test/fixtures/relay/bob.mjs')]);
    expect((await spawned.exited).code).toBe(0);
    const sent = runCliProcess(['send', 'Bob', 'hello', '--data-dir', tmp.dir]);
    expect((await sent.exited).code).toBe(0);
  });
  afterAll(async () => {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    tmp.cleanup();
  });

  const commands: string[][] = [
    ['agents'],
    ['agents', '--json'],
    ['providers'],
    ['providers', '--json'],
    ['history'],
    ['history', '--json'],
    ['status'],
    ['status', '--json'],
    ['screen', 'Bob'],
    ['sync', 'status'],
    ['search', 'bob'],
    ['--help'],
    ['--version'],
  ];
  for (const args of commands) {
    it(`${args.join(' ')} ends with status 0 and says nothing on stderr`, async () => {
      const options = args[0]!.startsWith('--') ? args : [...args, '--data-dir', tmp.dir];
      expect(await runWithClosedStdout(options)).toEqual({ code: 0, signal: null, stderr: '' });
    });
  }

  it('a failing command still reports its failure on stderr with status 1', async () => {
    const result = await runWithClosedStdout(['screen', 'Nobody', '--data-dir', tmp.dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nobody/);
    expect(result.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
  });
});

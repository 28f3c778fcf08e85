/**
 * The relay across a daemon that dies while its agents keep running in the terminal host: real
 * `agent-relay-desktop up` processes killed with SIGKILL, real ptys, the relay as the UI sees it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { runCliProcess, type CliRun } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';


async function startUp(dataDir: string): Promise<{ run: CliRun; client: NodeClient }> {
  const run = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir]);
  const listening = JSON.parse(await run.firstLine) as { event: string; url: string; token: string };
  expect(listening.event).toBe('listening');
  const client = await connectClient(new URL(listening.url).origin, listening.token);
  return { run, client };
}

async function kill9(daemon: { run: CliRun; client: NodeClient }): Promise<void> {
  daemon.client.close();
  daemon.run.child.kill('SIGKILL');
  await daemon.run.exited;
}

describe('the relay when the daemon dies and its agents live on', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let current: { run: CliRun; client: NodeClient } | undefined;

  afterEach(async () => {
    current?.client.close();
    await runCliProcess(['down', '--data-dir', tmp.dir]).exited;
    if (current && current.run.child.exitCode === null) current.run.child.kill('SIGKILL');
    current = undefined;
    tmp.cleanup();
  });

  it('keeps "accept relay messages" turned on after spawn when the next daemon reattaches', async () => {
    tmp = makeTempDir();
    current = await startUp(tmp.dir);
    const spawned = await current.client.call('agents.spawn', { name: 'sh', command: 'bash', args: ['--norc', '--noprofile'], cwd: tmp.dir, env: { PS1: 'bash$ ' } });
    expect(spawned).toMatchObject({ acceptRelay: false });
    expect(await current.client.call('agents.setAcceptRelay', 'sh', true)).toMatchObject({ acceptRelay: true });

    await kill9(current);
    current = await startUp(tmp.dir);
    const listed = await current.client.call('agents.list');
    expect(listed.map((a) => [a.name, a.pid, a.id, a.acceptRelay])).toEqual([['sh', spawned.pid, spawned.id, true]]);

    // And off again, across one more daemon.
    await current.client.call('agents.setAcceptRelay', 'sh', false);
    await kill9(current);
    current = await startUp(tmp.dir);
    expect((await current.client.call('agents.list')).map((a) => a.acceptRelay)).toEqual([false]);
    expect(fs.existsSync(path.join(tmp.dir, 'terminal-host.json'))).toBe(true);
  }, 60_000);
});

/**
 * The agents outlive the daemon: a real `agent-relay-desktop up` is killed with SIGKILL while three
 * agents print; the next `up` finds them in the terminal host with the same pids, their consoles
 * show what they printed meanwhile, and typing reaches them. The same across a daemon version bump.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { readHostFile } from '../../../main/core/terminal-host/host-file.js';
import { runCliProcess, type CliRun } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

const PRINTER = path.resolve('test/fixtures/terminal-host/printer.mjs');
const NAMES = ['Ann', 'Ben', 'Cid'] as const;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startUp(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ run: CliRun; client: NodeClient }> {
  const run = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir], env);
  const listening = JSON.parse(await run.firstLine) as { event: string; url: string; token: string };
  expect(listening.event).toBe('listening');
  const client = await connectClient(new URL(listening.url).origin, listening.token);
  return { run, client };
}

/** The log file's NDJSON records; a line that is not (yet) whole JSON is skipped. */
function logRecords(file: string): Array<Record<string, unknown>> {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const record = JSON.parse(line) as unknown;
        return record && typeof record === 'object' ? [record as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
}

/** Every "NAME tick N at T" line in a console snapshot (escape sequences and all). */
const ticks = (name: string, data: string) => [...data.matchAll(new RegExp(`${name} tick (\\d+) at (\\d+)`, 'g'))].map((m) => ({ n: Number(m[1]), at: Number(m[2]) }));

describe('agents outlive the daemon (terminal host)', () => {
  const tmp = makeTempDir();
  const pids: number[] = [];
  let current: { run: CliRun; client: NodeClient } | undefined;

  afterAll(async () => {
    current?.client.close();
    const down = runCliProcess(['down', '--data-dir', tmp.dir]);
    await down.exited;
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (current && current.run.child.exitCode === null) current.run.child.kill('SIGKILL');
    tmp.cleanup();
  });

  it('kill -9 the daemon while three agents print: same pids, output printed meanwhile, typing reaches them; then a version bump; then down', async () => {
    current = await startUp(tmp.dir);
    for (const name of NAMES) {
      const agent = await current.client.call('agents.spawn', { name, command: process.execPath, args: [PRINTER], cwd: tmp.dir });
      pids.push(agent.pid!);
    }
    const host = readHostFile(tmp.dir)!;
    expect(host.pid).not.toBe(current.run.child.pid);
    expect(fs.statSync(path.join(tmp.dir, 'terminal-host.json')).mode & 0o777).toBe(0o600);
    for (const name of NAMES) await waitFor(`${name} to print`, async () => (await current!.client.call('terminal.screen', name)).some((l) => / tick \d+/.test(l)));

    // SIGKILL: no clean shutdown at all.
    current.client.close();
    current.run.child.kill('SIGKILL');
    await current.run.exited;
    const killedAt = Date.now();
    // The agents keep printing with no daemon: wait for output that only the host can have seen.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const pid of pids) expect(alive(pid)).toBe(true);
    const restartAt = Date.now();

    current = await startUp(tmp.dir);
    const listed = await current.client.call('agents.list');
    expect(listed.map((a) => [a.name, a.pid, a.status === 'exited'])).toEqual(NAMES.map((name, i) => [name, pids[i], false]));
    expect(readHostFile(tmp.dir)!.pid).toBe(host.pid);

    for (const name of NAMES) {
      const snapshot = await current.client.call('terminal.attach', name);
      const seen = ticks(name, snapshot.data);
      // The whole scrollback from the agent's first line, including what it printed while no daemon ran.
      expect(seen[0]?.n).toBe(1);
      expect(seen.some((t) => t.at > killedAt && t.at < restartAt)).toBe(true);
      const numbers = seen.map((t) => t.n);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    }
    // The live stream continues after the snapshot.
    const live: string[] = [];
    current.client.on('terminal.output', (out) => live.push(out.data));
    await waitFor('live output after reattaching', () => live.join('').includes(' tick '));

    for (const name of NAMES) await current.client.call('terminal.input', name, `hello ${name}\r`);
    for (const name of NAMES) {
      await waitFor(`${name} to echo what was typed`, async () => (await current!.client.call('terminal.screen', name)).some((l) => l.includes(`${name} typed: hello ${name}`)));
    }

    // A newer daemon (version bump) with the host kept: SIGTERM keeps the agents by default.
    current.client.close();
    current.run.child.kill('SIGTERM');
    expect(await current.run.exited).toMatchObject({ code: 0 });
    expect(current.run.stdout.at(-1)).toContain('"agentsKept":3');
    for (const pid of pids) expect(alive(pid)).toBe(true);
    current = await startUp(tmp.dir, { AGENT_RELAY_VERSION_OVERRIDE: '99.0.0' });
    expect((await current.client.call('agents.list')).map((a) => a.pid)).toEqual(pids);
    await current.client.call('terminal.input', 'Cid', 'after the bump\r');
    await waitFor('Cid to echo after the bump', async () => (await current!.client.call('terminal.screen', 'Cid')).some((l) => l.includes('Cid typed: after the bump')));
    // The host's log says which daemon version it now serves: one NDJSON record (pino) of the host's own
    // scope. Read as records, not as text, so the order of keys and a line still being written (the
    // daemon's destination is non-blocking) do not matter; the wait ends when the record is there.
    await waitFor('the host to log the newer daemon', () =>
      logRecords(path.join(tmp.dir, 'logs', 'agent-relay.log')).some(
        (record) => record.scope === 'terminal-host:terminal-host' && record.msg === 'daemon connected' && record.version === '99.0.0',
      ),
    );

    // Search runs in the host over every agent's scrollback.
    const found = await current.client.call('agents.search', { text: 'Ben typed: hello' });
    expect(found.hits).toEqual([expect.objectContaining({ agent: 'Ben', text: 'Ben typed: hello Ben' })]);

    // down stops everything: daemon, host, agents.
    current.client.close();
    const down = runCliProcess(['down', '--data-dir', tmp.dir]);
    expect(await down.exited).toMatchObject({ code: 0 });
    expect(down.stdout.join('\n')).toMatch(/^Stopped Agent Relay \(pid \d+\) and 3 agents\.$/);
    expect(await current.run.exited).toMatchObject({ code: 0 });
    await waitFor('every agent to end', () => pids.every((pid) => !alive(pid)), 15_000);
    expect(alive(host.pid)).toBe(false);
    expect(fs.existsSync(path.join(tmp.dir, 'terminal-host.json'))).toBe(false);
  }, 120_000);
});

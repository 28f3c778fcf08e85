/**
 * The relay across a daemon that dies while its agents keep running in the terminal host: real
 * `agent-relay-desktop up` processes killed with SIGKILL, real ptys, the relay as the UI sees it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { readHostFile } from '../../../main/core/terminal-host/host-file.js';
import { HostConnection } from '../../../main/core/terminal-host/host-connection.js';
import type { HostedAgent } from '../../../main/core/terminal-host/protocol.js';
import { runCliProcess, type CliRun } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';


const fixture = (name: string) => path.resolve('test/fixtures', name);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** The lines an agent of busy-bob.mjs read, in order. */
const readLog = (file: string): string[] =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string)
    : [];

async function startUp(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ run: CliRun; client: NodeClient }> {
  const run = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', dataDir], env);
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

  it('after a reboot, an agent started again keeps its id and gets what was queued for it, once; one not started again fails its messages with the reason', async () => {
    tmp = makeTempDir();
    const busy = path.join(tmp.dir, 'BUSY');
    fs.writeFileSync(busy, '');
    const logs = { Bob: path.join(tmp.dir, 'bob.log'), Cat: path.join(tmp.dir, 'cat.log') };
    current = await startUp(tmp.dir);
    const agents = await Promise.all(
      (['Bob', 'Cat'] as const).map((name) =>
        current!.client.call('agents.spawn', { name, command: process.execPath, args: [fixture('relay/busy-bob.mjs'), busy, logs[name]], cwd: tmp.dir }),
      ),
    );
    // Both busy printing, so what is sent to them waits in their queues.
    await expect.poll(async () => (await current!.client.call('agents.list')).map((a) => a.status), { timeout: 15_000 }).toEqual(['working', 'working']);
    const forBob = await current.client.call('relay.send', { to: 'Bob', body: 'for bob after the reboot' });
    const forCat = await current.client.call('relay.send', { to: 'Cat', body: 'for cat after the reboot' });
    expect([forBob.status, forCat.status]).toEqual(['queued', 'queued']);

    // The computer goes down: daemon, terminal host and agents all end at once, nothing shut down cleanly.
    const hostPid = readHostFile(tmp.dir)!.pid;
    await kill9(current);
    current = undefined;
    process.kill(hostPid, 'SIGKILL');
    for (const agent of agents) if (alive(agent.pid!)) process.kill(agent.pid!, 'SIGKILL');
    await expect.poll(() => [hostPid, ...agents.map((a) => a.pid!)].some(alive), { timeout: 10_000 }).toBe(false);
    fs.rmSync(busy);

    current = await startUp(tmp.dir);
    expect((await current.client.call('agents.restorable')).map((a) => a.name)).toEqual(['Bob', 'Cat']);
    // Still waiting for them (not failed as if they were gone for good).
    expect((await current.client.call('relay.read', forBob.id)).status).toBe('queued');
    expect((await current.client.call('relay.read', forCat.id)).status).toBe('queued');

    const [bob] = await current.client.call('agents.restore', { names: ['Bob'], resume: true });
    expect(bob).toMatchObject({ name: 'Bob', id: agents[0]!.id });
    expect(bob!.pid).not.toBe(agents[0]!.pid);
    await expect.poll(() => readLog(logs.Bob), { timeout: 20_000 }).toEqual([`Relay message from human [${forBob.id}]: for bob after the reboot`]);
    await expect.poll(async () => (await current!.client.call('relay.read', forBob.id)).status, { timeout: 15_000 }).toMatch(/^(delivered|acknowledged)$/);

    // Cat is not started again: the message that waited for her fails, saying why.
    await current.client.call('agents.dismissRestore');
    const failed = await current.client.call('relay.read', forCat.id);
    expect(failed.status).toBe('failed');
    expect(failed.deliveries).toEqual([
      expect.objectContaining({ recipient: 'Cat', status: 'failed', code: 'recipient_not_restored', reason: 'Cat was not started again after the restart, so this message was not delivered.' }),
    ]);
    expect(fs.existsSync(logs.Cat)).toBe(false);
    // Delivered once: nothing more reaches Bob.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(readLog(logs.Bob)).toHaveLength(1);
  }, 90_000);

  it('a relay line printed while no daemon ran is delivered once the next daemon reattaches; one routed before the crash is not routed again', async () => {
    tmp = makeTempDir();
    const bobLog = path.join(tmp.dir, 'bob.log');
    const say = (n: number) => fs.writeFileSync(path.join(tmp.dir, `say-${n}`), '');
    const said = (n: number) => fs.existsSync(path.join(tmp.dir, `said-${n}`));
    const fromAnn = async () =>
      (await current!.client.call('relay.history', { agent: 'Ann' })).items.filter((m) => m.from === 'Ann').map((m) => [m.body, m.status]);
    // The first daemon never tells the host what its relay has read: everything Ann printed is read
    // again by the next daemon, so "routed once" rests on the log, not on the timing of a crash.
    current = await startUp(tmp.dir, { AGENT_RELAY_RELAY_ACK_MS: String(10 * 60_000) });
    await current.client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')], cwd: tmp.dir, env: { BOB_LOG: bobLog } });
    await current.client.call('agents.spawn', { name: 'Ann', command: process.execPath, args: [fixture('relay/say-on-file.mjs'), tmp.dir, 'Bob'], cwd: tmp.dir });
    say(1);
    const first = /^Relay message from Ann \[\w+\]: message 1$/;
    await expect.poll(() => readLog(bobLog), { timeout: 20_000 }).toEqual([expect.stringMatching(first)]);

    await kill9(current);
    // Printed with no daemon: only the terminal host sees it.
    say(2);
    await expect.poll(() => said(2), { timeout: 10_000 }).toBe(true);

    current = await startUp(tmp.dir);
    const second = /^Relay message from Ann \[\w+\]: message 2$/;
    await expect.poll(() => readLog(bobLog), { timeout: 20_000 }).toEqual([expect.stringMatching(first), expect.stringMatching(second)]);
    await expect.poll(fromAnn, { timeout: 15_000 }).toEqual([
      ['message 2', expect.stringMatching(/^(delivered|acknowledged)$/)],
      ['message 1', expect.stringMatching(/^(delivered|acknowledged)$/)],
    ]);

    // Once more with a daemon that does acknowledge what its relay read (the host keeps less).
    await expect.poll(() => said(2) && readLog(bobLog).length, { timeout: 5_000 }).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kill9(current);
    say(3);
    await expect.poll(() => said(3), { timeout: 10_000 }).toBe(true);
    current = await startUp(tmp.dir);
    const third = /^Relay message from Ann \[\w+\]: message 3$/;
    await expect.poll(() => readLog(bobLog), { timeout: 20_000 }).toEqual([expect.stringMatching(first), expect.stringMatching(second), expect.stringMatching(third)]);
    // Never twice: nothing more arrives, and the history has each message once.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(readLog(bobLog)).toHaveLength(3);
    expect((await fromAnn()).map(([body]) => body)).toEqual(['message 3', 'message 2', 'message 1']);
  }, 120_000);

  it('a daemon killed right after letting go of a prose line mid-line: the next one does not take the rest of that line for a relay line; a line that starts with one is delivered once', async () => {
    tmp = makeTempDir();
    const bobLog = path.join(tmp.dir, 'bob.log');
    current = await startUp(tmp.dir);
    await current.client.call('agents.spawn', { name: 'Bob', command: process.execPath, args: [fixture('relay/bob.mjs')], cwd: tmp.dir, env: { BOB_LOG: bobLog } });
    await current.client.call('agents.spawn', { name: 'Ann', command: process.execPath, args: [fixture('terminal-host/print-on-input.mjs')], cwd: tmp.dir });
    // The test's own connection to the terminal host: it types to Ann (also with no daemon) and sees what the host keeps for the relay.
    const probe = await HostConnection.open(readHostFile(tmp.dir)!, 'probe');
    try {
      const ann = async () => (await probe.request<HostedAgent[]>('list')).find((a) => a.info.name === 'Ann')!;
      const print = (text: string) => probe.send({ t: 'input', name: 'Ann', data: `${JSON.stringify(text)}\r`, human: false });
      // Ann's `ready` line was read (raw mode: typing no longer echoes).
      await expect.poll(async () => { const a = await ann(); return a.seq > 0 && a.relayBacklog?.length === 0; }, { timeout: 15_000 }).toBe(true);
      const seq = (await ann()).seq;
      print('hello world');
      // The daemon read it and let it go mid-line, the line under way kept with the ack.
      await expect.poll(async () => { const a = await ann(); return [a.seq > seq, a.relayBacklog?.length, typeof a.relayLine]; }, { timeout: 15_000 }).toEqual([true, 0, 'string']);
      await kill9(current);

      print('->relay:Bob not a message\r\n->relay:Bob a message\r\n');
      await expect.poll(async () => (await ann()).relayBacklog?.map((c) => c.data).join('') ?? '', { timeout: 10_000 }).toContain('a message');
      current = await startUp(tmp.dir);
      await expect.poll(() => readLog(bobLog), { timeout: 20_000 }).toEqual([expect.stringMatching(/^Relay message from Ann \[\w+\]: a message$/)]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(readLog(bobLog)).toHaveLength(1);
      expect((await current.client.call('relay.history', { agent: 'Ann' })).items.filter((m) => m.from === 'Ann').map((m) => m.body)).toEqual(['a message']);
    } finally {
      probe.close();
    }
  }, 90_000);
});

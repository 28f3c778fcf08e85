import { describe, expect, it } from 'vitest';
import { cli, fixture, useDaemon } from '../../support/cli-daemon.js';

// Many CLI processes in a row, each a Node start: allow for a loaded machine.
describe('restart, remove and paging history from the CLI', { timeout: 120_000 }, () => {
  const tmp = useDaemon();

  it('restarts an agent with its own command, and what waited for it arrives; removes only exited agents and fails what waited', async () => {
    expect((await cli(tmp.dir, ['spawn', '--name', 'Bob', '--', process.execPath, fixture('relay/bob.mjs')])).code).toBe(0);
    await expect.poll(async () => (await cli(tmp.dir, ['screen', 'Bob'])).out, { timeout: 10_000 }).toContain('bob>');
    expect(await cli(tmp.dir, ['kill', 'Bob'])).toMatchObject({ code: 0 });
    const queued = await cli(tmp.dir, ['send', 'Bob', 'while', 'you', 'were', 'out']);
    expect(queued.out).toMatch(/^Queued \S+ for Bob\.$/);
    const id = queued.out.split(' ')[1]!;

    const restarted = await cli(tmp.dir, ['restart', 'Bob']);
    expect(restarted).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Restarted Bob \\(pid \\d+\\): ${process.execPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} .*bob\\.mjs$`)) });
    await expect.poll(async () => (await cli(tmp.dir, ['screen', 'Bob'])).out, { timeout: 15_000 }).toContain(`bob got: Relay message from human [${id}]: while you were out`);
    await expect.poll(async () => (await cli(tmp.dir, ['read', id])).out, { timeout: 10_000 }).toMatch(/Bob: acknowledged at /);

    const running = await cli(tmp.dir, ['rm', 'Bob']);
    expect(running.code).toBe(1);
    expect(running.err).toMatch(/^Bob is running \(.*\); stop it first with: agent-relay-desktop kill Bob, or remove it anyway with --force\.$/);

    await cli(tmp.dir, ['kill', 'Bob']);
    const waiting = (await cli(tmp.dir, ['send', 'Bob', 'never', 'read'])).out.split(' ')[1]!;
    expect(await cli(tmp.dir, ['remove', 'Bob'])).toMatchObject({ code: 0, out: 'Removed Bob. 1 message waiting for it failed.' });
    const read = await cli(tmp.dir, ['read', waiting]);
    expect(read.out).toContain('Bob: failed at ');
    expect(read.out).toContain('(Bob was removed before this message could be delivered.)');
    expect((await cli(tmp.dir, ['history'])).out).toMatch(new RegExp(`${waiting} .*human → Bob\\s+\\[failed\\]\\s+never read`));
    expect(await cli(tmp.dir, ['restart', 'Bob'])).toMatchObject({ code: 1, err: expect.stringContaining('There is no agent named Bob') });
  });

  it('pages back through every message with --before, pointing to the next page on stderr', async () => {
    expect((await cli(tmp.dir, ['spawn', '--name', 'Pager', '--', process.execPath, fixture('relay/bob.mjs')])).code).toBe(0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await cli(tmp.dir, ['send', 'Pager', `page-${i}`])).out.split(' ')[1]!);
    const newest = await cli(tmp.dir, ['history', '--agent', 'Pager', '--limit', '2']);
    expect(newest.out.split('\n').map((l) => l.slice(0, 12))).toEqual([ids[3], ids[4]]);
    expect(newest.err).toBe(`Older messages: agent-relay-desktop history --before ${ids[3]} --agent Pager`);
    const older = await cli(tmp.dir, ['history', '--agent', 'Pager', '--limit', '2', '--before', ids[3]!]);
    expect(older.out.split('\n').map((l) => l.slice(0, 12))).toEqual([ids[1], ids[2]]);
    const oldest = await cli(tmp.dir, ['history', '--agent', 'Pager', '--limit', '2', '--before', ids[1]!]);
    expect(oldest.out.split('\n').map((l) => l.slice(0, 12))).toEqual([ids[0]]);
    expect(oldest.err).toBe('');
    expect(await cli(tmp.dir, ['history', '--before', 'not-an-id'])).toMatchObject({ code: 2, err: expect.stringContaining('expected a message id') });
  });

  it('refuses a send into a shell prompt with the reason and exit 1, unless the agent was spawned with --accept-relay', async () => {
    expect((await cli(tmp.dir, ['spawn', '--name', 'Shell', '--', 'bash', '--norc', '--noprofile'])).code).toBe(0);
    await expect.poll(async () => JSON.parse((await cli(tmp.dir, ['agents', '--json'])).out).find((a: { name: string }) => a.name === 'Shell')?.status, { timeout: 10_000 }).toBe('idle');
    const refused = await cli(tmp.dir, ['send', 'Shell', 'echo', 'hi']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^Not delivered \(\w+\): Shell is a shell prompt; relay messages go to agents/);

    const open = JSON.parse((await cli(tmp.dir, ['spawn', '--name', 'OpenShell', '--accept-relay', '--json', '--', 'bash', '--norc', '--noprofile'])).out);
    expect(open).toMatchObject({ name: 'OpenShell', acceptRelay: true });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog, MESSAGE_LOG_FILE } from '../../../main/core/relay/message-log.js';
import { RelayHub } from '../../../main/core/relay/relay-hub.js';
import { TargetDirectory } from '../../../main/core/relay/relay-target.js';
import { INTERRUPTED_REASON, RelayRouter, type RelayEvent } from '../../../main/core/relay/router.js';
import { FakeAgent, ManualClock } from './fake-agents.js';

let dataDir: string;
let clock: ManualClock;
const open: Array<{ close(): void }> = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-router-'));
  clock = new ManualClock();
});
afterEach(() => {
  for (const item of open.splice(0)) item.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function setup(agents: ReadonlyArray<FakeAgent>): { router: RelayRouter; log: MessageLog; events: RelayEvent[]; directory: TargetDirectory } {
  const directory = new TargetDirectory();
  for (const agent of agents) directory.add(agent);
  const log = MessageLog.open({ dataDir, now: () => clock.now() });
  const router = new RelayRouter({ log, directory, clock });
  const events: RelayEvent[] = [];
  router.on((event) => events.push(event));
  router.start();
  open.push(router, log);
  return { router, log, events, directory };
}

const line = (to: string, body: string) => ({ to, body, kind: 'line' as const });

describe('RelayRouter recipients', () => {
  it('answers an unknown name in the sender’s terminal with who exists, and records the message as failed', () => {
    const alice = new FakeAgent('Alice');
    const bob = new FakeAgent('Bob');
    const { router, log } = setup([alice, bob]);
    const result = router.routeFromAgent('Alice', line('Bobby', 'are you there?'));
    expect(result.ok).toBe(false);
    const failed = log.get(result.message?.id as string);
    expect(failed?.status).toBe('failed');
    expect(failed?.deliveries[0]).toMatchObject({ recipient: 'Bobby', status: 'failed', code: 'unknown_recipient' });
    expect(bob.written).toEqual([]);
    expect(alice.texts()).toHaveLength(1);
    expect(alice.texts()[0]).toMatch(/^Relay message from relay \[\w+\]: No agent named "Bobby"\. Agents: Alice, Bob\. Your message \[\w+\] was not delivered\.$/);
  });

  it('matches names case-insensitively and injects with the agent’s own spelling', () => {
    const bob = new FakeAgent('Bob');
    const { router, log } = setup([new FakeAgent('Alice'), bob]);
    const result = router.routeFromAgent('Alice', line('bOB', 'hi'));
    expect(result.ok && log.get(result.message.id)?.recipients).toEqual(['Bob']);
    expect(bob.texts()).toEqual([`Relay message from Alice [${result.message?.id}]: hi`]);
  });

  it('sends * to every agent but the sender', () => {
    const [alice, bob, carol] = [new FakeAgent('Alice'), new FakeAgent('Bob'), new FakeAgent('Carol', 'not_started')];
    const { router } = setup([alice, bob, carol]);
    router.routeFromAgent('Alice', line('*', 'standup in 5'));
    expect(alice.written).toEqual([]);
    expect(bob.texts()).toEqual([expect.stringMatching(/: standup in 5$/)]);
    carol.set('idle');
    expect(carol.texts()).toEqual([expect.stringMatching(/: standup in 5$/)]);
  });

  it('tells the human which names exist when sending to an unknown one', () => {
    const { router } = setup([new FakeAgent('Alice')]);
    const result = router.sendFromHuman('Zed', 'hello');
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_recipient', message: 'No agent named "Zed". Agents: Alice.' } });
  });
});

describe('RelayRouter delivery', () => {
  it('keeps a message for a busy agent and delivers it when the agent is idle', () => {
    const bob = new FakeAgent('Bob', 'working');
    const { router, log, events } = setup([new FakeAgent('Alice'), bob]);
    const result = router.routeFromAgent('Alice', line('Bob', 'review PR 12'));
    expect(bob.written).toEqual([]);
    expect(log.get(result.message?.id as string)?.status).toBe('queued');
    bob.set('waiting_for_input');
    expect(bob.written).toEqual([]);
    bob.set('idle');
    expect(bob.written).toEqual([`\x1b[200~Relay message from Alice [${result.message?.id}]: review PR 12\x1b[201~\r`]);
    expect(log.get(result.message?.id as string)?.status).toBe('delivered');
    expect(events.map((e) => e.type)).toEqual(['queued', 'delivered']);
  });

  it('waits while a human typed into the agent in the last 2 seconds', () => {
    const bob = new FakeAgent('Bob');
    bob.humanTyped(clock.now() - 500);
    const { router } = setup([new FakeAgent('Alice'), bob]);
    router.routeFromAgent('Alice', line('Bob', 'hi'));
    clock.advance(1_499);
    expect(bob.written).toEqual([]);
    bob.humanTyped(clock.now());
    clock.advance(1_999);
    expect(bob.written).toEqual([]);
    clock.advance(1);
    expect(bob.texts()).toEqual([expect.stringMatching(/: hi$/)]);
  });

  it('holds messages for an agent that has not started and delivers them in order once it is idle', () => {
    const carol = new FakeAgent('Carol', 'not_started');
    const { router } = setup([new FakeAgent('Alice'), carol]);
    router.routeFromAgent('Alice', line('Carol', 'one'));
    router.sendFromHuman('Carol', 'two');
    carol.set('starting');
    expect(carol.written).toEqual([]);
    carol.set('idle');
    // Both were waiting: they go in one injection, one line each, in the order sent.
    expect(carol.written).toHaveLength(1);
    expect(carol.messages()).toEqual([expect.stringMatching(/^Relay message from Alice \[\w+\]: one$/), expect.stringMatching(/^Relay message from human \[\w+\]: two$/)]);
  });

  it('holds messages for an agent added to the directory later', () => {
    const { router, directory } = setup([new FakeAgent('Alice')]);
    expect(router.routeFromAgent('Alice', line('Dave', 'x')).ok).toBe(false);
    const dave = new FakeAgent('Dave', 'not_started');
    directory.add(dave);
    router.sendFromHuman('Dave', 'welcome');
    dave.set('idle');
    expect(dave.texts()).toEqual([expect.stringMatching(/: welcome$/)]);
  });

  it('strips escape sequences an agent tries to pass to another', () => {
    const bob = new FakeAgent('Bob');
    const { router } = setup([new FakeAgent('Alice'), bob]);
    router.routeFromAgent('Alice', line('Bob', 'x\x1b[201~\x1b]52;c;ZXZpbA==\x07\u009b2Jy'));
    expect(bob.texts()).toEqual([expect.stringMatching(/\]: xy$/)]);
  });

  it('keeps a message for an exited agent until it runs again', () => {
    const bob = new FakeAgent('Bob', 'exited');
    const { router, log } = setup([new FakeAgent('Alice'), bob]);
    const first = router.routeFromAgent('Alice', line('Bob', 'one'));
    expect(log.get(first.message?.id as string)?.status).toBe('queued');
    bob.set('idle');
    expect(log.get(first.message?.id as string)?.status).toBe('delivered');
  });

  it('records a write that throws as failed with the reason, and goes on with the next message', () => {
    const bob = new FakeAgent('Bob', 'idle');
    const { router, log, events } = setup([new FakeAgent('Alice'), bob]);
    bob.failWrites = true;
    const first = router.routeFromAgent('Alice', line('Bob', 'one'));
    expect(log.get(first.message?.id as string)?.deliveries[0]).toMatchObject({ status: 'failed', code: 'write_failed', reason: 'writing to Bob failed: the pty is closed' });
    expect(events.at(-1)).toMatchObject({ type: 'failed', code: 'write_failed' });
    bob.failWrites = false;
    router.routeFromAgent('Alice', line('Bob', 'two'));
    clock.advance(750);
    expect(bob.texts()).toEqual([expect.stringMatching(/: two$/)]);
  });

  it('keeps one thread per pair of parties', () => {
    const { router } = setup([new FakeAgent('Alice'), new FakeAgent('Bob'), new FakeAgent('Carol')]);
    const a = router.routeFromAgent('Alice', line('Bob', 'q'));
    const b = router.routeFromAgent('Bob', line('alice', 'a'));
    const c = router.routeFromAgent('Alice', line('Carol', 'x'));
    expect(a.message?.thread).toBe(a.message?.id);
    expect(b.message?.thread).toBe(a.message?.id);
    expect(c.message?.thread).toBe(c.message?.id);
  });
});

describe('RelayRouter across a restart', () => {
  it('delivers messages still queued at a stop exactly once after the restart', () => {
    const first = setup([new FakeAgent('Alice'), new FakeAgent('Bob', 'working')]);
    const ids = ['one', 'two'].map((body) => first.router.routeFromAgent('Alice', line('Bob', body)).message?.id);
    first.router.close();
    first.log.close();

    const bob = new FakeAgent('Bob', 'idle');
    const second = setup([new FakeAgent('Alice'), bob]);
    clock.advance(1_000);
    expect(bob.messages()).toEqual([`Relay message from Alice [${ids[0]}]: one`, `Relay message from Alice [${ids[1]}]: two`]);
    expect(ids.map((id) => second.log.get(id as string)?.status)).toEqual(['delivered', 'delivered']);
    second.router.close();
    second.log.close();

    const bobAgain = new FakeAgent('Bob', 'idle');
    setup([new FakeAgent('Alice'), bobAgain]);
    clock.advance(5_000);
    expect(bobAgain.written).toEqual([]);
  });

  it('marks a message caught mid-delivery by a crash as failed and does not send it again', () => {
    const bob = new FakeAgent('Bob', 'idle');
    const first = setup([new FakeAgent('Alice'), bob]);
    const id = first.router.routeFromAgent('Alice', line('Bob', 'deploy now')).message?.id as string;
    expect(bob.written).toHaveLength(1);
    first.router.close();
    first.log.close();
    // The crash came after the write and before "delivered" reached the disk.
    const file = path.join(dataDir, MESSAGE_LOG_FILE);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ status: 'delivered' });
    fs.writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);

    const bobAfter = new FakeAgent('Bob', 'idle');
    const second = setup([new FakeAgent('Alice'), bobAfter]);
    clock.advance(5_000);
    expect(bobAfter.written).toEqual([]);
    expect(second.log.get(id)?.deliveries[0]).toMatchObject({ status: 'failed', code: 'interrupted', reason: INTERRUPTED_REASON });
  });
});

describe('RelayHub', () => {
  it('routes a line an agent prints to the recipient and ignores the recipient’s echo of it', () => {
    const alice = new FakeAgent('Alice');
    const bob = new FakeAgent('Bob');
    const carol = new FakeAgent('Carol');
    const directory = new TargetDirectory();
    [alice, bob, carol].forEach((a) => directory.add(a));
    const hub = RelayHub.open({ dataDir, directory, clock });
    open.push(hub);
    hub.ingest('Alice', '\x1b[36m->relay:Bob\x1b[0m tell ');
    hub.ingest('Alice', 'Carol: ->relay:Carol lunch?\r\n');
    expect(bob.texts()).toHaveLength(1);
    const id = hub.history().items[0]?.id;
    expect(bob.texts()[0]).toBe(`Relay message from Alice [${id}]: tell Carol: ->relay:Carol lunch?`);
    // Bob's TUI echoes the paste wrapped at 40 columns, putting the relay syntax at a row start.
    hub.resize('Bob', 40, 24);
    hub.ingest('Bob', `Relay message from Alice [${id}]: tell\r\n->relay:Carol lunch?\r\n`);
    expect(carol.written).toEqual([]);
    hub.ingest('Bob', '->relay:Carol lunch?\r\n');
    expect(carol.texts()).toEqual([expect.stringMatching(/^Relay message from Bob \[\w+\]: lunch\?$/)]);
    // Bob's screen showed the message id: proof it arrived.
    expect(hub.get(id as string)?.status).toBe('acknowledged');
  });

  it('reads a terminal-wide relay line on its own once the agent has been quiet for the wrap hold time', () => {
    const bob = new FakeAgent('Bob');
    const directory = new TargetDirectory();
    [new FakeAgent('Alice'), bob].forEach((a) => directory.add(a));
    const hub = RelayHub.open({ dataDir, directory, clock, wrapHoldMs: 300 });
    open.push(hub);
    hub.resize('Alice', 20, 24);
    hub.ingest('Alice', '->relay:Bob abcdefgh\r\n');
    clock.advance(299);
    expect(bob.written).toEqual([]);
    clock.advance(1);
    expect(bob.texts()).toEqual([expect.stringMatching(/: abcdefgh$/)]);
  });
});

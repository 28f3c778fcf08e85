import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MessageLog } from '../../../main/core/relay/message-log.js';
import { PasteModeTracker } from '../../../main/core/relay/paste-mode.js';
import { TargetDirectory } from '../../../main/core/relay/relay-target.js';
import { RelayRouter, type RelayEvent } from '../../../main/core/relay/router.js';
import { FakeAgent, ManualClock } from './fake-agents.js';

let dataDir: string;
let clock: ManualClock;
const open: Array<{ close(): void }> = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-delivery-'));
  clock = new ManualClock();
});
afterEach(() => {
  for (const item of open.splice(0)) item.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function setup(agents: ReadonlyArray<FakeAgent>, options: { maxBytes?: number } = {}) {
  const directory = new TargetDirectory();
  for (const agent of agents) directory.add(agent);
  const log = MessageLog.open({ dataDir, now: () => clock.now() });
  const router = new RelayRouter({ log, directory, clock, ...options });
  const events: RelayEvent[] = [];
  router.on((event) => events.push(event));
  router.start();
  open.push(router, log);
  return { router, log, events, directory };
}

const line = (to: string, body: string) => ({ to, body, kind: 'line' as const });

describe('messages are addressed to an agent, not a name', () => {
  it('fails what waited for a removed agent, with the reason, and never gives it to a new agent of that name', () => {
    const alice = new FakeAgent('Alice', 'idle', 'a-alice');
    const bob = new FakeAgent('Bob', 'exited', 'a-bob-1');
    const { router, log, events, directory } = setup([alice, bob]);
    const sent = router.routeFromAgent('Alice', line('Bob', 'rebase please'));
    const id = sent.message?.id as string;
    expect(log.get(id)?.status).toBe('queued');

    directory.remove('Bob');
    expect(log.get(id)?.deliveries[0]).toMatchObject({ status: 'failed', code: 'recipient_removed', reason: 'Bob was removed before this message could be delivered.' });
    expect(events.find((e) => e.type === 'failed' && e.message.id === id)).toBeDefined();
    // Alice is told in her terminal.
    expect(alice.messages()).toEqual([expect.stringMatching(new RegExp(`^Relay message from relay \\[\\w+\\]: Bob was removed .* Your message \\[${id}\\] was not delivered\\.$`))]);

    const newBob = new FakeAgent('Bob', 'idle', 'a-bob-2');
    directory.add(newBob);
    clock.advance(10_000);
    expect(newBob.written).toEqual([]);
  });

  it('keeps what is queued for an agent over its restart (same id) and delivers it after', () => {
    const bob = new FakeAgent('Bob', 'working', 'a-bob');
    const { router, log } = setup([new FakeAgent('Alice'), bob]);
    const id = router.sendFromHuman('Bob', 'after the restart').message?.id as string;
    bob.set('exited');
    bob.set('starting');
    expect(bob.written).toEqual([]);
    bob.set('idle');
    expect(bob.messages()).toEqual([`Relay message from human [${id}]: after the restart`]);
    expect(log.get(id)?.status).toBe('delivered');
  });

  it('after a daemon restart, fails what waited for an agent that did not come back', () => {
    const first = setup([new FakeAgent('Alice'), new FakeAgent('Bob', 'working', 'a-bob')]);
    const id = first.router.sendFromHuman('Bob', 'hello').message?.id as string;
    first.router.close();
    first.log.close();
    const newBob = new FakeAgent('Bob', 'idle', 'a-bob-other');
    const second = setup([newBob]);
    second.router.failAbsentRecipients();
    expect(second.log.get(id)?.deliveries[0]).toMatchObject({ status: 'failed', code: 'recipient_gone' });
    clock.advance(5_000);
    expect(newBob.written).toEqual([]);
  });
});

describe('no injection into a plain shell', () => {
  it('refuses a shell prompt, tells the sending agent why, and injects nothing', () => {
    const alice = new FakeAgent('Alice');
    const bob = new FakeAgent('Bob', 'idle', 'a-bob');
    bob.shell = true;
    const { router, log } = setup([alice, bob]);
    const id = router.routeFromAgent('Alice', line('Bob', 'hi; touch /tmp/x')).message?.id as string;
    expect(bob.written).toEqual([]);
    expect(log.get(id)?.deliveries[0]).toMatchObject({ status: 'failed', code: 'shell_prompt' });
    expect(log.get(id)?.deliveries[0]?.reason).toMatch(/^Bob is a shell prompt; relay messages go to agents/);
    expect(alice.messages()).toEqual([expect.stringMatching(new RegExp(`Bob is a shell prompt; relay messages go to agents.* Your message \\[${id}\\] was not delivered\\.$`))]);
  });

  it('holds a message while the shell runs something, refuses it back at the prompt, and injects when "accept relay messages" is on', () => {
    const bob = new FakeAgent('Bob', 'working', 'a-bob');
    bob.shell = true;
    const { router, log } = setup([new FakeAgent('Alice'), bob]);
    const first = router.sendFromHuman('Bob', 'one').message?.id as string;
    expect(log.get(first)?.status).toBe('queued');
    bob.set('idle');
    expect(log.get(first)?.deliveries[0]).toMatchObject({ status: 'failed', code: 'shell_prompt' });
    bob.accept = true;
    const second = router.sendFromHuman('Bob', 'echo allowed').message?.id as string;
    expect(bob.messages()).toEqual([`Relay message from human [${second}]: echo allowed`]);
  });
});

describe('bursts', () => {
  it('delivers everything waiting for one recipient in one injection, in order, each with its own id and status', () => {
    const bob = new FakeAgent('Bob', 'working', 'a-bob');
    const { router, log } = setup([new FakeAgent('Alice'), bob]);
    const ids = Array.from({ length: 300 }, (_, i) => router.routeFromAgent('Alice', line('Bob', `task ${i}`)).message?.id as string);
    bob.set('idle');
    expect(bob.written).toHaveLength(1);
    expect(bob.messages()).toEqual(ids.map((id, i) => `Relay message from Alice [${id}]: task ${i}`));
    expect(ids.every((id) => log.get(id)?.status === 'delivered')).toBe(true);
  });

  it('splits a burst at the size cap and sends the rest after the settle time', () => {
    const bob = new FakeAgent('Bob', 'working', 'a-bob');
    const { router } = setup([new FakeAgent('Alice'), bob], { maxBytes: 1024 });
    const ids = Array.from({ length: 30 }, (_, i) => router.routeFromAgent('Alice', line('Bob', `${i} ${'x'.repeat(90)}`)).message?.id as string);
    bob.set('idle');
    const first = bob.written.length;
    expect(first).toBe(1);
    expect(Buffer.byteLength(bob.texts()[0] as string)).toBeLessThanOrEqual(1024);
    clock.advance(750);
    bob.set('working');
    bob.set('idle');
    for (let i = 0; i < 10 && bob.messages().length < 30; i++) {
      clock.advance(750);
      bob.set('working');
      bob.set('idle');
    }
    expect(bob.written.length).toBeGreaterThan(2);
    expect(bob.messages().map((m) => /\[(\w+)\]/.exec(m)?.[1])).toEqual(ids);
  });
});

describe('proof of delivery', () => {
  it('acknowledges a copy when the recipient reacts, and flags one it never reacted to', () => {
    const bob = new FakeAgent('Bob', 'idle', 'a-bob');
    const carol = new FakeAgent('Carol', 'idle', 'a-carol');
    const { router, log, events } = setup([new FakeAgent('Alice'), bob, carol]);
    const toBob = router.sendFromHuman('Bob', 'hi').message?.id as string;
    const toCarol = router.sendFromHuman('Carol', 'hi').message?.id as string;
    expect(log.get(toBob)?.status).toBe('delivered');
    bob.set('working');
    expect(log.get(toBob)?.status).toBe('acknowledged');
    clock.advance(4_999);
    expect(log.get(toCarol)?.status).toBe('delivered');
    clock.advance(1);
    expect(log.get(toCarol)?.status).toBe('unacknowledged');
    expect(log.get(toCarol)?.deliveries[0]?.reason).toBe('Carol did not show the message or react to it within 5 s; it may not have seen it.');
    expect(events.filter((e) => e.message.id === toCarol).map((e) => e.type)).toEqual(['queued', 'delivered', 'unacknowledged']);
  });

  it('acknowledges when the message id shows up on the recipient’s screen', () => {
    const bob = new FakeAgent('Bob', 'idle', 'a-bob');
    const { router, log } = setup([new FakeAgent('Alice'), bob]);
    const id = router.sendFromHuman('Bob', 'hi').message?.id as string;
    router.noteOutput('Bob', `\x1b[2K> Relay message from human [${id}]: hi`);
    expect(log.get(id)?.status).toBe('acknowledged');
  });
});

describe('bracketed paste mode from the agent’s output', () => {
  it('follows DECSET/DECRST 2004 in any chunking, with other modes in the same sequence, and a full reset', () => {
    const tracker = new PasteModeTracker();
    const feed = (text: string, cut: number) => {
      tracker.push(text.slice(0, cut));
      tracker.push(text.slice(cut));
    };
    expect(tracker.enabled).toBe(false);
    const on = 'prompt \x1b[?1049;2004h> ';
    for (let cut = 0; cut <= on.length; cut++) {
      tracker.reset();
      feed(on, cut);
      expect(tracker.enabled, `cut at ${cut}`).toBe(true);
    }
    for (const byte of '\x1b[?2004l') tracker.push(byte);
    expect(tracker.enabled).toBe(false);
    tracker.push('\x1b[?2004h');
    tracker.push('bye\x1bc');
    expect(tracker.enabled).toBe(false);
    tracker.push('\x1b[?20044h\x1b[2004h');
    expect(tracker.enabled).toBe(false);
  });
});

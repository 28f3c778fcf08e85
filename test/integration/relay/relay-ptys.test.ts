import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayHub } from '../../../main/core/relay/relay-hub.js';
import { TargetDirectory } from '../../../main/core/relay/relay-target.js';
import type { RelayEvent } from '../../../main/core/relay/router.js';
import { PtyRelayTarget, waitFor } from './pty-relay-target.js';

let dataDir: string;
const cleanup: Array<() => void> = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-pty-'));
});
afterEach(() => {
  for (const fn of cleanup.splice(0).reverse()) fn();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function wire(agents: ReadonlyArray<PtyRelayTarget>): { hub: RelayHub; events: RelayEvent[] } {
  const directory = new TargetDirectory();
  for (const agent of agents) directory.add(agent);
  const hub = RelayHub.open({ dataDir, directory });
  const events: RelayEvent[] = [];
  hub.on((event) => events.push(event));
  for (const agent of agents) {
    agent.onData((data) => hub.ingest(agent.name, data));
    cleanup.push(() => agent.kill());
  }
  cleanup.push(() => hub.close());
  return { hub, events };
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe('relay between real pseudo-terminals', () => {
  it('delivers Alice’s relay line into Bob’s terminal once, and logs it as delivered', async () => {
    const alice = new PtyRelayTarget('Alice');
    const bob = new PtyRelayTarget('Bob');
    const { hub, events } = wire([alice, bob]);
    bob.start('bob.mjs');
    await waitFor(() => bob.state() === 'idle', 'Bob to show its prompt and go quiet');
    alice.start('alice.mjs');

    const delivered = await waitFor(() => events.find((e) => e.type === 'delivered'), 'the message to be delivered');
    const id = delivered.message.id;
    const expected = `bob got: Relay message from Alice [${id}]: hello`;
    await waitFor(() => bob.output.includes(expected), `Bob to print "${expected}"`);
    // Give both agents time to go quiet, so a duplicate or an echo loop would have shown up.
    await waitFor(() => alice.state() === 'idle' && bob.state() === 'idle', 'both agents idle');

    expect(count(bob.output, 'bob got: ')).toBe(1);
    expect(count(bob.output, `Relay message from Alice [${id}]: hello`)).toBe(2); // typed echo + Bob's answer
    // Bob's screen showed it: acknowledged (before proof of delivery this read 'delivered').
    expect(hub.get(id)).toMatchObject({ from: 'Alice', to: 'Bob', body: 'hello', status: 'acknowledged' });
    expect(hub.history().items).toHaveLength(1);
    const log = fs.readFileSync(path.join(dataDir, 'relay', 'messages.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status?: string });
    // Bob was idle, so the message went straight to "delivering", flushed before the write.
    expect(log.map((r) => r.status ?? 'msg')).toEqual(['msg', 'delivering', 'delivered', 'acknowledged']);
  });

  it('holds a message for an agent that starts later, joins a wrapped line, and delivers a block', async () => {
    const alice = new PtyRelayTarget('Alice');
    const bob = new PtyRelayTarget('Bob');
    const { hub } = wire([alice, bob]);
    hub.resize('Alice', 40, 24);
    const wrapped = '->relay:Bob ' + 'a'.repeat(28); // exactly 40 columns, hard-wrapped by the program
    const lines = [`${wrapped}\r\nbcd\r\n`, '```\r\n->relay:Bob from a code fence\r\n```\r\n', '->relay:Bob <<<\r\n  first\r\n  second\r\n>>>\r\n'];
    alice.start('alice.mjs', { RELAY_LINES: JSON.stringify(lines) }, 40, 24);
    await waitFor(() => hub.history().items.length === 2, 'two messages to be queued');
    expect(hub.history().items.map((m) => m.status)).toEqual(['queued', 'queued']);

    bob.start('bob.mjs');
    // Both waited for Bob, so they arrive in one injection (one submitted prompt), one message per line, in order.
    await waitFor(() => count(bob.output, 'bob got: ') === 1 && bob.state() === 'idle', 'Bob to receive both messages');
    const [block, line] = hub.history().items;
    expect(bob.output).toContain(
      `bob got: Relay message from Alice [${line?.id}]: ${'a'.repeat(28)}bcd\r\nRelay message from Alice [${block?.id}]: first\r\nsecond`,
    );
    expect(bob.output).not.toContain('from a code fence');
    expect(hub.history().items.map((m) => m.status)).toEqual(['acknowledged', 'acknowledged']);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayHub } from '../../../main/core/relay/relay-hub.js';
import { TargetDirectory } from '../../../main/core/relay/relay-target.js';
import { PtyRelayTarget, waitFor } from './pty-relay-target.js';

let dataDir: string;
const cleanup: Array<() => void | Promise<void>> = [];

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-restarts-'));
});
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The daemon's relay over `dataDir`: a fresh hub and directory, as after a daemon (re)start. */
function openHub(bob: PtyRelayTarget): RelayHub {
  const directory = new TargetDirectory();
  directory.add(bob);
  return RelayHub.open({ dataDir, directory });
}

describe('restart-safe delivery between real pseudo-terminals', () => {
  it('delivers 1,000 messages exactly once and in order through two recipient restarts and a daemon restart', async () => {
    const received = path.join(dataDir, 'bob-read.txt');
    // The same agent (same id) across its restarts: the pty outlives the daemon, as with a terminal host.
    const bob = new PtyRelayTarget('Bob', 300, 'a-bob');
    let hub = openHub(bob);
    bob.onData((data) => hub.ingest('Bob', data));
    cleanup.push(() => hub.close(), () => bob.stop());
    const startBob = () => {
      hub.resetAgent('Bob');
      bob.start('bob.mjs', { BOB_LOG: received });
    };
    const sent: string[] = [];
    const send = (count: number) => {
      for (let i = 0; i < count; i++) {
        const result = hub.sendFromHuman('Bob', `n=${sent.length}`);
        if (!result.ok) throw new Error(result.error.message);
        sent.push(result.message.id);
      }
    };
    const settled = (count: number) => () => {
      const done = sent.slice(0, count).map((id) => hub.get(id)?.status);
      return done.every((status) => status === 'acknowledged') || (done.some((s) => s === 'failed' || s === 'unacknowledged') && done);
    };
    const readCount = () => (fs.existsSync(received) ? fs.readFileSync(received, 'utf8').split('Relay message from').length - 1 : 0);
    // Acknowledged (Bob reacted), and Bob has read every message to the end: only then is stopping him
    // free of loss (stopping an agent mid-read loses what it was reading, whatever the relay does).
    const waitSettled = async (what: string) => {
      const result = await waitFor(settled(sent.length), what, 60_000);
      if (result !== true) throw new Error(`${what}: a message failed: ${JSON.stringify(sent.map((id) => hub.get(id)).find((m) => m?.status !== 'acknowledged'))}`);
      await waitFor(() => readCount() >= sent.length, `${what}: Bob to read all ${sent.length}`, 60_000);
    };

    startBob();
    await waitFor(() => bob.state() === 'idle', 'Bob at his prompt');
    send(250);
    await waitSettled('the first 250 to be acknowledged');

    // Recipient restart 1: what is sent while Bob is down waits, and arrives once he is back.
    await bob.stop();
    send(250);
    expect(sent.slice(250).every((id) => hub.get(id)?.status === 'queued')).toBe(true);
    startBob();
    await waitSettled('500 acknowledged after Bob restarted');

    // Daemon restart while messages wait for a stopped Bob (recipient restart 2).
    await bob.stop();
    send(250);
    hub.close();
    hub = openHub(bob);
    expect(sent.slice(500).every((id) => hub.get(id)?.status === 'queued')).toBe(true);
    startBob();
    await waitSettled('750 acknowledged after the daemon restart');

    send(250);
    await waitSettled('all 1,000 acknowledged');

    const read = fs.readFileSync(received, "utf8");
    const ids = [...read.matchAll(/Relay message from human \[([0-9a-z]{12})\]: n=(\d+)/g)];
    expect(ids.map((m) => m[1])).toEqual(sent);
    expect(ids.map((m) => Number(m[2]))).toEqual(sent.map((_, i) => i));
    // Bursts went together: far fewer injections (submitted lines) than messages.
    const injections = read.trimEnd().split('\n').length;
    expect(injections).toBeLessThan(100);
    expect(hub.history({ limit: 500 }).items.every((m) => m.status === 'acknowledged')).toBe(true);
  }, 120_000);
});

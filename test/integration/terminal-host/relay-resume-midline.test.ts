/**
 * A daemon that let go of an agent's output in the middle of a line (the line so far could not start a
 * relay line), then went away: the next daemon reads what the agent printed meanwhile as the rest of
 * that line. A real terminal host (TCP, token, protocol), real ptys, daemons (AgentNetwork over
 * TerminalHostClient, the relay log on disk) one after the other on the same host and data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayMessage } from '../../../preload/contract.js';
import { createLogger } from '../../../main/core/logging/logger.js';
import { AgentNetwork } from '../../../main/core/network/agent-network.js';
import { HostConnection, TerminalHostClient } from '../../../main/core/terminal-host/host-client.js';
import { readHostFile } from '../../../main/core/terminal-host/host-file.js';
import { TerminalHostServer } from '../../../main/core/terminal-host/host-server.js';
import type { HostedAgent } from '../../../main/core/terminal-host/protocol.js';

const PRINTER = path.resolve('test/fixtures/terminal-host/print-on-input.mjs');
const BOB = path.resolve('test/fixtures/relay/bob.mjs');
const logger = createLogger({ console: false });

/** The relay messages from Ann that Bob read, in order (their bodies; several may come in one paste). */
const bobRead = (file: string): string[] =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => (JSON.parse(line) as string).split('\n'))
        .map((line) => line.replace(/^Relay message from Ann \[\w+\]: /, ''))
    : [];

describe('the relay across daemons when the last one let go mid-line', () => {
  let cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  async function setUp() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-resume-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const host = new TerminalHostServer({ dataDir, version: 'test', logger, agents: { baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, mirrorWorker: false } });
    await host.listen();
    cleanup.push(() => host.stop());
    // The test's own connection to the host: it types to Ann and looks at what the host keeps, with no daemon there.
    const probe = await HostConnection.open(readHostFile(dataDir)!, 'probe');
    cleanup.push(() => probe.close());
    const hosted = async (name: string): Promise<HostedAgent> => (await probe.request<HostedAgent[]>('list')).find((a) => a.info.name === name)!;
    const print = (text: string) => probe.send({ t: 'input', name: 'Ann', data: `${JSON.stringify(text)}\r`, human: false });

    let daemon: AgentNetwork | undefined;
    const messages = new Map<string, RelayMessage>();
    const start = async () => {
      const runtime = await TerminalHostClient.open({ dataDir, version: 'test', logger });
      daemon = new AgentNetwork({ dataDir, logger, scrollback: () => 1000, defaultCwd: dataDir, runtime, onAgentsChanged() {}, onRelayMessage: (m) => messages.set(m.id, m) });
      return daemon;
    };
    /** The daemon goes away; the agents keep running in the host (acks not yet sent are lost, as in a crash). */
    const stop = async () => {
      await daemon?.close({ keepAgents: true });
      daemon = undefined;
    };
    cleanup.push(() => stop());
    /** What Ann's relay routed, each message's body once per time it was routed. */
    const fromAnn = () => [...messages.values()].filter((m) => m.from === 'Ann').map((m) => m.body).sort();
    return { dataDir, probe, hosted, print, start, stop, fromAnn };
  }

  it('the rest of a prose line that begins with ->relay: is not routed; a line that truly starts with one, a bulleted one and one a carriage return rewrote are, once each', async () => {
    const t = await setUp();
    const bobLog = path.join(t.dataDir, 'bob.log');
    const first = await t.start();
    await first.spawn({ name: 'Bob', command: process.execPath, args: [BOB], cwd: t.dataDir, env: { BOB_LOG: bobLog } });
    await first.spawn({ name: 'Ann', command: process.execPath, args: [PRINTER], cwd: t.dataDir });
    // Typing does not echo from here on (raw mode), and the first daemon has read that far.
    await expect.poll(async () => (await t.hosted('Ann')).seq, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await t.hosted('Ann')).relayBacklog?.length, { timeout: 15_000 }).toBe(0);

    const cases = [
      // Prose, then (after the daemon changed) text that would be a relay line if the line started there.
      { before: 'hello world', midLine: true, after: '->relay:Bob not a message\r\n', routed: [] as string[], live: false },
      // The control: a line that really starts with the relay marker, after a line the last daemon finished.
      { before: 'hello world\r\n', midLine: false, after: '->relay:Bob hi\r\n', routed: ['hi'] },
      // Only decoration so far (Claude's bullet): the rest makes it a relay line.
      { before: '⏺ ', midLine: true, after: '->relay:Bob from a bullet\r\n', routed: ['from a bullet'] },
      // A spinner's line, rewritten from its start: a relay line.
      { before: '\r\x1b[36m⠋\x1b[0m Working…', midLine: true, after: '\r\x1b[2K->relay:Bob after the spinner\r\n', routed: ['after the spinner'] },
      // The rest printed once the next daemon is there (no backlog: it reads the rest live).
      { before: 'more prose', midLine: true, after: '->relay:Bob not one either\r\n', routed: [], live: true },
    ];
    const expected: string[] = [];
    for (const [n, c] of cases.entries()) {
      const seq = (await t.hosted('Ann')).seq;
      t.print(c.before);
      // The daemon's relay read it and told the host so: nothing kept for the next one but, mid-line, the line.
      await expect
        .poll(async () => {
          const ann = await t.hosted('Ann');
          return [ann.seq > seq, ann.relayBacklog?.length, typeof ann.relayLine];
        }, { timeout: 15_000 })
        .toEqual([true, 0, c.midLine ? 'string' : 'undefined']);
      await t.stop();

      // Printed while no daemon runs (or once the next is there), with a line after it, so we know when the next daemon has read past.
      if (c.live) await t.start();
      t.print(`${c.after}->relay:Bob end ${n}\r\n`);
      if (!c.live) {
        await expect.poll(async () => (await t.hosted('Ann')).relayBacklog?.map((chunk) => chunk.data).join('') ?? '', { timeout: 10_000 }).toContain(`end ${n}`);
        await t.start();
      }
      expected.push(...c.routed, `end ${n}`);
      await expect.poll(t.fromAnn, { timeout: 15_000 }).toEqual([...expected].sort());
      await expect.poll(() => bobRead(bobLog), { timeout: 20_000 }).toEqual(expected);
    }
    // Each delivered once, in order, and nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(bobRead(bobLog)).toEqual(expected);
    expect(t.fromAnn()).toEqual([...expected].sort());
  }, 120_000);

  it('the host keeps the line of the last acknowledgement only while what it keeps follows it; a malformed one is refused with its ack', async () => {
    const t = await setUp();
    await t.probe.request('spawn', [{ name: 'Ann', command: process.execPath, args: [PRINTER], cwd: t.dataDir }, {}]);
    await expect.poll(async () => (await t.hosted('Ann')).seq, { timeout: 15_000 }).toBeGreaterThan(0);
    const ack = (seq: number, line?: unknown) => t.probe.send({ t: 'relayAck', name: 'Ann', seq, ...(line !== undefined ? { line } : {}) } as never);
    const state = async () => {
      const ann = await t.hosted('Ann');
      return { kept: ann.relayBacklog?.length, line: ann.relayLine };
    };
    let seq = (await t.hosted('Ann')).seq;

    ack(seq, 'the line');
    await expect.poll(state).toEqual({ kept: 0, line: 'the line' });
    // An ack at a line start (or from a daemon before 1.3) clears it.
    ack(seq);
    await expect.poll(state).toEqual({ kept: 0, line: undefined });
    ack(seq, 'again');
    await expect.poll(state).toEqual({ kept: 0, line: 'again' });

    // More output: the line still describes where the kept output starts.
    t.print('more');
    await expect.poll(state, { timeout: 10_000 }).toEqual({ kept: 1, line: 'again' });
    // Not a string, or too long: the ack is refused whole, nothing is let go.
    ack(seq + 1, 42);
    ack(seq + 1, 'x'.repeat(64 * 1024 + 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await state()).toEqual({ kept: 1, line: 'again' });
    seq = (await t.hosted('Ann')).seq;
    ack(seq, 'after more');
    await expect.poll(state).toEqual({ kept: 0, line: 'after more' });

    // An ack past what was printed does not describe where the next output starts.
    ack(seq + 5, 'ahead');
    await expect.poll(state).toEqual({ kept: 0, line: undefined });
    ack(seq, 'after more');
    await expect.poll(state).toEqual({ kept: 0, line: 'after more' });

    // A restart starts a fresh screen: the line is gone, and a late ack from before it does not bring it back.
    await t.probe.request('restart', ['Ann']);
    await expect.poll(state).toMatchObject({ line: undefined });
    ack(seq, 'late');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await state()).line).toBeUndefined();
  }, 60_000);
});

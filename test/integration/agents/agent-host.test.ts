import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentHost, type Attachment } from '../../../main/core/agents/agent-host.js';
import { AgentManager, type AgentEvent } from '../../../main/core/agents/agent-manager.js';
import { normalizeAgentSpec, type AgentSpecInput } from '../../../main/core/agents/agent-spec.js';
import { DEFAULT_HIGH_WATERMARK } from '../../../main/core/agents/flow-control.js';
import type { OutputChunk } from '../../../main/core/agents/terminal-mirror.js';
import { allText, buildMirrorWorker, fixture, freshTerminal, serialize, visibleText, waitFor, writeAsync } from './agent-test-support.js';

const hosts: AgentHost[] = [];
const managers: AgentManager[] = [];
afterEach(async () => {
  await Promise.all([...hosts.splice(0).map((h) => h.dispose()), ...managers.splice(0).map((m) => m.dispose())]);
});

function baseEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

type HostInput = Omit<AgentSpecInput, 'name'> & { name?: string };
type HostOptions = Parameters<typeof AgentHost.start>[1];

function startHostWith(input: HostInput, options: HostOptions = {}): AgentHost {
  const spec = normalizeAgentSpec({ name: 'agent', cwd: os.tmpdir(), cols: 80, rows: 24, ...input });
  if (!spec.ok) throw spec.error;
  const started = AgentHost.start(spec.value, { baseEnv: baseEnv(), killGraceMs: 500, ...options });
  if (!started.ok) throw started.error;
  hosts.push(started.value);
  return started.value;
}

const mirrorWorker = await buildMirrorWorker();

describe.each([
  { where: 'mirror in this thread', mirrorWorker: false as const },
  { where: 'mirror in the worker thread', mirrorWorker },
])('AgentHost (real pty, $where)', ({ mirrorWorker }) => {
  const startHost = (input: HostInput, options: HostOptions = {}) => startHostWith(input, { mirrorWorker, ...options });

  it('a late attach of a TUI reproduces the exact screen', async () => {
    // Keys typed before the snapshot change the screen, so the snapshot must be of the current state.
    const host = startHost(fixture('tui.mjs'));
    await waitFor(async () => (await host.screenText()).some((l) => l.includes('cursor parks here')), 'TUI drawn');
    host.input('k');
    host.input('k');
    await waitFor(async () => (await host.screenText()).some((l) => l.includes('count 2')), 'redraw');

    const attachment = await host.attach({ data: () => undefined });
    const term = freshTerminal(attachment.snapshot.cols, attachment.snapshot.rows);
    await writeAsync(term, attachment.snapshot.data);
    const mirrorScreen = await host.screenText();
    expect(visibleText(term)).toEqual(mirrorScreen);
    expect(mirrorScreen[mirrorScreen.length - 1]).toContain('size 80x24');
    expect(term.buffer.active.type).toBe('alternate');
    expect([term.buffer.active.cursorX, term.buffer.active.cursorY]).toEqual([4, 8]);
    attachment.detach();
  });

  it('attach during a flood: snapshot + live stream hold every line exactly once, in order', async () => {
    const lines = 20_000;
    const host = startHost({ ...fixture('flood.mjs', String(lines), '40', 'stay'), scrollback: 30_000 });
    await waitFor(() => host.flowStats.lastSeq >= 5, 'flood under way');

    const received: OutputChunk[] = [];
    // data() is only called after start(), so `attachment` is set by then.
    const attachment: Attachment = await host.attach({
      data: (chunk) => {
        received.push(chunk);
        attachment.ack(chunk.data.length);
      },
    });
    attachment.start();
    const { snapshot } = attachment;
    expect(snapshot.seq).toBeGreaterThanOrEqual(5);
    await waitFor(async () => (await host.screenText()).some((l) => l.includes('FLOOD DONE')), 'flood finished', 30_000);

    // The live stream starts right after the snapshot and has no holes.
    expect(received[0]?.seq).toBe(snapshot.seq + 1);
    received.forEach((chunk, i) => expect(chunk.seq).toBe(snapshot.seq + 1 + i));

    const term = freshTerminal(snapshot.cols, snapshot.rows, 30_000);
    await writeAsync(term, snapshot.data);
    await writeAsync(term, received.map((c) => c.data).join(''));
    const numbers = allText(term)
      .map((line) => /^L(\d{6}) /.exec(line)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    expect(numbers.length).toBe(lines);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
    expect(allText(term).filter((l) => l === 'FLOOD DONE')).toHaveLength(1);
    attachment.detach();
  }, 60_000);

  it('right after a flood, an attach shows exactly what a console that watched it live shows (serialized, byte for byte)', async () => {
    // The mirror may fall behind the live stream under load; an attach waits for it, so the screen is never wrong.
    const host = startHost({ ...fixture('colour-flood.mjs', '15000', 'stay'), cols: 100, rows: 30 });
    const live = freshTerminal(100, 30);
    let liveSeq = 0;
    let writes = Promise.resolve();
    const watcher: Attachment = await host.attach({
      data: (chunk) => {
        liveSeq = chunk.seq;
        writes = writes.then(() => writeAsync(live, chunk.data)).then(() => watcher.ack(chunk.data.length));
      },
    });
    await writeAsync(live, watcher.snapshot.data);
    watcher.start();
    await waitFor(() => allText(live).some((l) => l.includes('FLOOD DONE')) || undefined, 'flood seen live', 60_000);

    const late = await host.attach({ data: () => undefined });
    await waitFor(() => liveSeq >= late.snapshot.seq, 'live console at the snapshot');
    await writes;
    const attached = freshTerminal(late.snapshot.cols, late.snapshot.rows);
    await writeAsync(attached, late.snapshot.data);
    expect(late.snapshot.seq).toBe(liveSeq);
    expect(serialize(attached)).toBe(serialize(live));
    // The scrollback is full (10,000 rows) and ends with the flood's last line.
    expect(allText(attached).length).toBe(10_000 + 30);
    expect(allText(attached).some((l) => l.startsWith('L015000 '))).toBe(true);
    watcher.detach();
    late.detach();
  }, 90_000);

  it('flow control pauses a flood for a console that never acknowledges, and resumes after acks', async () => {
    // The mirror gets room enough never to pause the pty itself: this is about the console's marks.
    const host = startHost(fixture('flood.mjs', '400000', '60', 'stay'), { mirrorFlow: { highWatermark: 50_000_000, lowWatermark: 40_000_000 } });
    const received: OutputChunk[] = [];
    const attachment = await host.attach({ data: (chunk) => received.push(chunk) });
    attachment.start();

    await waitFor(() => host.flowStats.paused, 'pty paused');
    await waitFor(() => host.flowStats.mirrorBacklog === 0, 'mirror caught up');
    const heldChars = () => received.reduce((sum, c) => sum + c.data.length, 0);
    // Whatever arrived before the pause took hold is at most one pty read plus one batch over the mark.
    const pausedAt = host.flowStats.lastSeq;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(host.flowStats.lastSeq).toBe(pausedAt);
    expect(host.flowStats.paused).toBe(true);
    expect(host.flowStats.maxUnacked).toBe(heldChars());
    expect(heldChars()).toBeGreaterThan(DEFAULT_HIGH_WATERMARK);
    expect(heldChars()).toBeLessThan(DEFAULT_HIGH_WATERMARK + 128 * 1024);
    expect((await host.screenText()).join('\n')).not.toContain('FLOOD DONE');

    // Acknowledge what was parsed: the pty resumes, and pauses again once the console is behind again.
    let acked = 0;
    const ackAll = () => {
      const total = heldChars();
      attachment.ack(total - acked);
      acked = total;
    };
    ackAll();
    await waitFor(() => host.flowStats.lastSeq > pausedAt, 'resumed after the acknowledgement');
    await waitFor(() => host.flowStats.pauses === 2 && host.flowStats.paused, 'paused again without acknowledgements');
    // From now on acknowledge as it comes.
    ackAll();
    const timer = setInterval(ackAll, 5);
    try {
      await waitFor(async () => (await host.screenText()).some((l) => l.includes('FLOOD DONE')), 'flood finished after acks', 60_000);
    } finally {
      clearInterval(timer);
    }
    expect(host.flowStats.pauses).toBeGreaterThan(1);
    attachment.detach();
  }, 90_000);

  it('a console that detaches no longer holds the pty paused; with none attached output still flows to the mirror', async () => {
    const host = startHost(fixture('flood.mjs', '100000', '60', 'stay'));
    const attachment = await host.attach({ data: () => undefined });
    attachment.start();
    await waitFor(() => host.flowStats.paused, 'pty paused');
    attachment.detach();
    await waitFor(async () => (await host.screenText()).some((l) => l.includes('FLOOD DONE')), 'flood finished', 60_000);
    expect(host.flowStats.paused).toBe(false);
  }, 90_000);

  it('a mirror that falls behind pauses the pty, so its backlog stays bounded, and the flood still completes', async () => {
    const mirrorFlow = { highWatermark: 20_000, lowWatermark: 5_000 };
    const host = startHost(fixture('flood.mjs', '100000', '60', 'stay'), { mirrorFlow, batch: { maxChunkChars: 4_096 } });
    let maxBacklog = 0;
    const timer = setInterval(() => (maxBacklog = Math.max(maxBacklog, host.flowStats.mirrorBacklog)), 1);
    try {
      await waitFor(async () => (await host.screenText()).some((l) => l.includes('FLOOD DONE')), 'flood finished', 60_000);
    } finally {
      clearInterval(timer);
    }
    expect(host.flowStats.pauses).toBeGreaterThan(0);
    // Paused at the mark: what was written before the pause took hold is at most one pty read and one chunk more.
    expect(maxBacklog).toBeLessThan(mirrorFlow.highWatermark + 64 * 1024 + 4_096);
  }, 90_000);

  it('kill() ends an agent whose pty is paused by a console that never acknowledges', async () => {
    const host = startHost(fixture('flood.mjs', '400000', '60', 'stay'));
    const attachment = await host.attach({ data: () => undefined });
    attachment.start();
    await waitFor(() => host.flowStats.paused, 'pty paused');
    const exit = await host.kill(2_000);
    expect(exit.signalName).toBe('SIGTERM');
    expect(host.info).toMatchObject({ status: 'exited', exit: { signalName: 'SIGTERM' } });
    attachment.detach();
  }, 30_000);

  it('a console that is attached but not started counts its held output', async () => {
    const host = startHost(fixture('flood.mjs', '100000', '60', 'stay'));
    const attachment = await host.attach({ data: () => undefined });
    await waitFor(() => host.flowStats.paused, 'pty paused while the console has not started');
    attachment.detach();
    await waitFor(() => !host.flowStats.paused, 'resumed after detach');
  }, 30_000);

  it('status: prompt fixture goes working → idle, permission prompt reaches waiting_for_input, kill → exited', async () => {
    const options = { status: { idleAfterMs: 300, promptAfterMs: 100 } };
    const idleHost = startHost({ ...fixture('prompt-echo.mjs'), name: 'quiet' }, options);
    const seen: string[] = [];
    idleHost.onStatus(({ verdict }) => seen.push(verdict.status));
    await waitFor(() => idleHost.currentStatus === 'idle', 'idle');
    idleHost.input('ping\r');
    await waitFor(() => seen.includes('working') && idleHost.currentStatus === 'idle', 'working then idle again');
    expect(idleHost.lastHumanInputAt).not.toBeNull();

    for (const kind of ['claude', 'codex', 'gemini', 'yesno'] as const) {
      const host = startHost({ ...fixture('permission-prompt.mjs', kind), name: `ask-${kind}` }, options);
      await waitFor(() => host.currentStatus === 'waiting_for_input', `${kind} waiting_for_input`);
      if (kind === 'claude') {
        expect(host.info.statusReason).toBe('claude permission prompt');
        host.input('1\r');
        await waitFor(() => host.currentStatus === 'idle', 'idle after answering');
        expect((await host.screenText()).join('\n')).toContain('approved');
      }
      await host.kill();
      await waitFor(() => host.currentStatus === 'exited', 'exited');
      expect(host.info).toMatchObject({ status: 'exited', pid: null, exit: { signalName: 'SIGTERM' } });
    }
  }, 30_000);

  it('recognises a prompt the terminal wrapped over several rows', async () => {
    const host = startHost({ ...fixture('wrap.mjs'), cols: 40 }, { status: { idleAfterMs: 300, promptAfterMs: 100 } });
    await waitFor(() => host.currentStatus === 'waiting_for_input', 'waiting_for_input');
    const screen = await host.screenText();
    expect(screen[0]).toBe('A'.repeat(40));
    expect(screen.join('')).toContain('END1');
  });

  it('inject writes bytes without marking human input; resize reaches process, mirror and consoles', async () => {
    const host = startHost(fixture('prompt-echo.mjs'));
    await waitFor(async () => (await host.screenText()).some((l) => l.startsWith('> ')), 'prompt');
    expect(host.inject('\x1b[200~from relay\x1b[201~\r')).toBe(true);
    await waitFor(async () => (await host.screenText()).some((l) => l.includes('echo: ') && l.includes('from relay')), 'injected echo');
    expect(host.lastHumanInputAt).toBeNull();

    const sizes: string[] = [];
    const attachment = await host.attach({ data: () => undefined, resize: (c, r) => sizes.push(`${c}x${r}`) });
    attachment.start();
    expect(host.resize(100, 30).ok).toBe(true);
    expect(sizes).toEqual(['100x30']);
    expect(host.resize(0, 30)).toMatchObject({ ok: false, error: { code: 'invalid_size' } });
    await host.screenText();
    expect(host.info).toMatchObject({ cols: 100, rows: 30 });
    attachment.detach();
  });
});

describe('AgentManager (real pty)', () => {
  it('spawns, lists, kills, restarts and removes agents by name, with events', async () => {
    const manager = new AgentManager({ defaultCwd: os.tmpdir(), killGraceMs: 500, status: { idleAfterMs: 300, promptAfterMs: 100 } });
    managers.push(manager);
    const events: AgentEvent[] = [];
    manager.onEvent((e) => events.push(e));
    const outputs: string[] = [];
    manager.onOutput(({ name, chunk }) => outputs.push(`${name}:${chunk.data}`));

    const alice = manager.spawn({ name: 'Alice', ...fixture('prompt-echo.mjs') });
    expect(alice).toMatchObject({ ok: true, value: { name: 'Alice', status: 'starting', command: process.execPath, cwd: os.tmpdir(), exit: null } });
    expect(manager.spawn({ name: 'Alice', ...fixture('prompt-echo.mjs') })).toMatchObject({ ok: false, error: { code: 'agent_exists' } });
    const missing = manager.spawn({ name: 'Bob', command: 'gemini', env: { PATH: '/nowhere' } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'command_not_found' } });
    expect(!missing.ok && missing.error.message).toContain('npm install -g @google/gemini-cli');
    expect(manager.names()).toEqual(['Alice']);

    await waitFor(() => outputs.some((o) => o.includes('agent Alice ready')), 'AGENT_RELAY_NAME in output');
    await waitFor(() => manager.list()[0]?.status === 'idle', 'Alice idle');
    const firstPid = manager.list()[0]?.pid;
    expect(firstPid).toBeGreaterThan(0);

    const killed = await manager.kill('Alice');
    expect(killed).toMatchObject({ ok: true, value: { signalName: 'SIGTERM' } });
    await waitFor(() => events.some((e) => e.type === 'exited' && e.name === 'Alice'), 'exited event');
    expect(manager.list()[0]).toMatchObject({ status: 'exited', pid: null, exit: { signalName: 'SIGTERM' } });

    const restarted = await manager.restart('Alice');
    expect(restarted).toMatchObject({ ok: true, value: { restarts: 1, exit: null } });
    expect(manager.list()[0]?.pid).not.toBe(firstPid);
    await waitFor(() => manager.list()[0]?.status === 'idle', 'idle after restart');

    expect(await manager.kill('Nobody')).toMatchObject({ ok: false, error: { code: 'agent_not_found', message: 'There is no agent named Nobody. Agents: Alice.' } });
    expect(await manager.remove('Alice')).toEqual({ ok: true, value: undefined });
    expect(manager.list()).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['spawned', 'status', 'exited', 'restarted', 'removed']));
  });
});

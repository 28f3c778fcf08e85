import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../main/core/logging/logger.js';
import { TerminalHostServer } from '../../../main/core/terminal-host/host-server.js';
import { PROTOCOL, WireReader, type OutputFrame } from '../../../main/core/terminal-host/protocol.js';

/** Every write the host's side of a connection hands to the kernel (one per _write or _writev). */
function countServerWrites(): { count: () => number; restore: () => void } {
  const proto = net.Socket.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const write = proto._write!;
  const writev = proto._writev!;
  let count = 0;
  const counting = (original: (...args: unknown[]) => unknown) =>
    function (this: net.Socket & { server?: net.Server }, ...args: unknown[]) {
      if (this.server) count += 1;
      return original.apply(this, args);
    };
  proto._write = counting(write);
  proto._writev = counting(writev);
  return {
    count: () => count,
    restore: () => {
      proto._write = write;
      proto._writev = writev;
    },
  };
}

describe('terminal host → daemon writes', () => {
  let cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
  });

  it('what the host sends in one turn (an agent\'s last output, its exit event and info) leaves in one write; nothing waits on a timer', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-writes-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = new TerminalHostServer({
      dataDir,
      version: 'test',
      logger: createLogger({ console: false }),
      agents: { baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, mirrorWorker: false },
    });
    const { port, token } = await server.listen();
    cleanup.push(() => server.stop());
    const writes = countServerWrites();
    cleanup.push(() => writes.restore());

    const socket = net.connect(port, '127.0.0.1');
    cleanup.push(() => void socket.destroy());
    // What arrived, in order, with the number of host writes so far when it arrived.
    const received: Array<{ what: string; writes: number }> = [];
    const frames: OutputFrame[] = [];
    const reader = new WireReader(
      (message) => {
        const m = message as { t: string; event?: { type: string }; info?: { status: string } };
        received.push({ what: m.t === 'event' ? `event:${m.event!.type}` : m.t === 'info' ? `info:${m.info!.status}` : m.t, writes: writes.count() });
      },
      (frame) => {
        frames.push(frame);
        received.push({ what: `out:${frame.data}`, writes: writes.count() });
      },
      (error) => {
        throw error;
      },
    );
    socket.on('data', (data: Buffer) => reader.push(data));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`${JSON.stringify({ t: 'hello', token, protocol: PROTOCOL, version: 'test' })}\n`);
    socket.write(`${JSON.stringify({ t: 'req', id: 1, op: 'spawn', args: [{ name: 'one', command: 'sh', args: ['-c', 'read line; printf "last words"; exit 3'], cwd: dataDir }, {}] })}\n`);
    await expect.poll(() => received.map((r) => r.what)).toContain('res');
    const before = writes.count();
    socket.write(`${JSON.stringify({ t: 'input', name: 'one', data: 'go\r', human: true })}\n`);
    await expect.poll(() => received.map((r) => r.what), { timeout: 10_000 }).toContain('info:exited');

    const from = received.findIndex((r) => r.what.startsWith('out:') && r.what.endsWith('last words'));
    const after = received.slice(from, from + 3);
    expect(after.map((r) => r.what.replace(/^out:.*/s, 'out'))).toEqual(['out', 'event:exited', 'info:exited']);
    // The output frame, the event and the info: three messages, one write (counted before any of them arrived).
    expect(new Set(after.map((r) => r.writes)).size).toBe(1);
    expect(after[0]!.writes - before).toBeLessThanOrEqual(2); // the echo of "go" may have gone on its own
    expect(frames.at(-1)).toMatchObject({ name: 'one', data: expect.stringMatching(/last words$/) });
    // Quiet (exited): the search index has assembled its output into lines, none left waiting as output.
    await expect.poll(() => received.map((r) => r.what)).toContain('event:status');
    expect(server.index.waitingChars('one')).toBe(0);
    expect(server.index.lineCount('one')).toBe(2);
  });

  it('small redraws of an agent nobody watches wait (a minute here) until a line feed takes them on; a search, a console or typing does not wait', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-lazy-'));
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const server = new TerminalHostServer({
      dataDir,
      version: 'test',
      logger: createLogger({ console: false }),
      agents: { baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, mirrorWorker: false, batch: { lazyIntervalMs: 60_000 } },
    });
    const { port, token } = await server.listen();
    cleanup.push(() => server.stop());
    const socket = net.connect(port, '127.0.0.1');
    cleanup.push(() => void socket.destroy());
    const frames: OutputFrame[] = [];
    const replies = new Map<number, { ok: boolean; value?: unknown }>();
    const reader = new WireReader(
      (message) => {
        const m = message as { t: string; id: number; ok: boolean; value?: unknown };
        if (m.t === 'res') replies.set(m.id, m);
      },
      (frame) => frames.push(frame),
      (error) => {
        throw error;
      },
    );
    socket.on('data', (data: Buffer) => reader.push(data));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`${JSON.stringify({ t: 'hello', token, protocol: PROTOCOL, version: 'test' })}\n`);
    let nextId = 1;
    const request = async (op: string, args: unknown[]) => {
      const id = nextId++;
      socket.write(`${JSON.stringify({ t: 'req', id, op, args })}\n`);
      await expect.poll(() => replies.has(id), { timeout: 10_000 }).toBe(true);
      const reply = replies.get(id)!;
      expect(reply.ok).toBe(true);
      return reply.value;
    };
    const spawn = (name: string, script: string) => request('spawn', [{ name, command: 'sh', args: ['-c', script], cwd: dataDir }, {}]);
    const output = (name: string) => frames.filter((f) => f.name === name).map((f) => f.data);
    const file = (name: string) => path.join(dataDir, name);

    // A: two redraws, then (when told) a line. The redraws arrive with the line, in order, not before.
    await spawn('A', 'printf "\\r[1/3] waiting"; sleep 0.2; printf "\\r[2/3] waiting"; touch printedA; while [ ! -e goA ]; do sleep 0.05; done; printf "\\r[3/3] relay line\\r\\n"; sleep 30');
    // B: a redraw; a search finds it (and so it goes on).
    await spawn('B', 'printf "\\r[B] waiting"; touch printedB; sleep 30');
    // C: a redraw while a console is attached goes on at once.
    await spawn('C', 'while [ ! -e goC ]; do sleep 0.05; done; printf "\\r[C] shown"; sleep 30');
    // D: the answer to typing goes on at once.
    await spawn('D', 'read x; sleep 0.3; printf "\\r[D] echo"; sleep 30');

    await expect.poll(() => fs.existsSync(file('printedA')), { timeout: 10_000 }).toBe(true);
    // Long enough for the redraws to have gone on by themselves at the normal 5 ms pace.
    await new Promise((resolve) => setTimeout(resolve, 300));
    fs.writeFileSync(file('goA'), '');
    await expect.poll(() => output('A').join(''), { timeout: 10_000 }).toContain('relay line');
    expect(output('A')[0]).toContain('[1/3] waiting');
    expect(output('A')[0]).toContain('[2/3] waiting\r[3/3] relay line');

    await expect.poll(() => fs.existsSync(file('printedB')), { timeout: 10_000 }).toBe(true);
    await expect
      .poll(async () => ((await request('search', [{ text: '[B] waiting' }])) as { hits: unknown[] }).hits.length, { timeout: 10_000 })
      .toBe(1);
    expect(output('B').join('')).toContain('[B] waiting');

    await request('attach', ['C']);
    fs.writeFileSync(file('goC'), '');
    await expect.poll(() => output('C').join(''), { timeout: 10_000 }).toContain('[C] shown');

    socket.write(`${JSON.stringify({ t: 'input', name: 'D', data: 'hi\r', human: false })}\n`);
    await expect.poll(() => output('D').join(''), { timeout: 10_000 }).toContain('[D] echo');
  });
});


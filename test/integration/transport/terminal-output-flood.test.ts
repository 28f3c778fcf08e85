/**
 * A console on a flood, through the real daemon (`up`), its terminal host and the WebSocket, acknowledging
 * as the page does: every line arrives once, in order, byte for byte (multi-byte text included), while
 * the daemon passes the host's bytes through and joins chunks into frames. The flood is twice the
 * flow-control high watermark, so it only finishes if the acknowledged lengths add up.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TerminalOutput } from '../../../preload/contract.js';
import { connectClient, type NodeClient } from '../../../main/core/transport/client.js';
import { DEFAULT_HIGH_WATERMARK } from '../../../main/core/agents/flow-control.js';
import { runCliProcess, type CliRun } from '../../support/cli-process.js';
import { makeTempDir } from '../../support/temp-dir.js';

const FLOOD = path.resolve('test/fixtures/agents/utf8-flood.mjs');
const LINES = 160_000;
const line = (n: number) => `U${String(n).padStart(6, '0')} é漢字🙂 ${'ü'.repeat(20)}${'x'.repeat(40)}`;

describe('terminal output through the daemon to a console', () => {
  const tmp = makeTempDir();
  let run: CliRun | undefined;
  let client: NodeClient | undefined;

  afterAll(async () => {
    client?.close();
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await runCliProcess(['down', '--data-dir', tmp.dir]).exited;
    tmp.cleanup();
  });

  it('delivers a multi-byte flood twice the high watermark whole, in order, with acknowledgements by length', async () => {
    run = runCliProcess(['up', '--port', '0', '--json', '--no-open', '--data-dir', tmp.dir]);
    const listening = JSON.parse(await run.firstLine) as { url: string; token: string };
    client = await connectClient(new URL(listening.url).origin, listening.token);
    const c = client;
    await c.call('agents.spawn', { name: 'Flood', command: process.execPath, args: [FLOOD, String(LINES)], cwd: tmp.dir, cols: 120, rows: 40 });
    await expect.poll(async () => (await c.call('terminal.screen', 'Flood')).join('\n'), { timeout: 15_000 }).toContain('ready');

    const snapshot = await c.call('terminal.attach', 'Flood');
    let text = '';
    let lastSeq = snapshot.seq;
    let frames = 0;
    const backwards: number[] = [];
    const miscounted: Array<[number, number]> = [];
    c.on('terminal.output', (out: TerminalOutput & { chars?: number }) => {
      if (out.name !== 'Flood') return;
      // The frame says its length as a string (what the page acknowledges): it must be the data's.
      if (out.chars !== out.data.length) miscounted.push([out.chars ?? -1, out.data.length]);
      // A frame may join several chunks: its seq is its last chunk's, so seq only grows.
      if (out.seq <= lastSeq) backwards.push(out.seq);
      lastSeq = out.seq;
      frames += 1;
      text += out.data;
      void c.call('terminal.ack', 'Flood', out.chars ?? out.data.length);
    });
    await c.call('terminal.input', 'Flood', 'go\r');
    await expect.poll(() => text.includes('FLOOD DONE'), { timeout: 60_000, interval: 200 }).toBe(true);

    expect(backwards).toEqual([]);
    expect(miscounted).toEqual([]);
    expect(text.length).toBeGreaterThan(2 * DEFAULT_HIGH_WATERMARK);
    // The pty turns each \n into \r\n (so the fixture's \r\n arrives as \r\r\n).
    const lines = text.slice(text.indexOf('U000001')).split(/\r+\n/);
    expect(lines.length).toBe(LINES + 2);
    for (let n = 1; n <= LINES; n++) if (lines[n - 1] !== line(n)) expect(JSON.stringify(lines[n - 1]), `line ${n}`).toBe(JSON.stringify(line(n)));
    expect(lines[LINES]).toBe('FLOOD DONE');
    // Frames never outnumber the chunks they carry (seq counts chunks).
    expect(frames).toBeLessThanOrEqual(lastSeq - snapshot.seq);
  }, 90_000);

  it('keeps two floods apart when their frames leave together', async () => {
    const c = client!;
    const names = ['Left', 'Right'];
    const texts = new Map<string, string>(names.map((name) => [name, '']));
    c.on('terminal.output', (out: TerminalOutput & { chars?: number }) => {
      if (!texts.has(out.name)) return;
      texts.set(out.name, texts.get(out.name)! + out.data);
      void c.call('terminal.ack', out.name, out.chars ?? out.data.length);
    });
    for (const name of names) {
      await c.call('agents.spawn', { name, command: process.execPath, args: [FLOOD, '10000'], cwd: tmp.dir, cols: 120, rows: 40 });
      await expect.poll(async () => (await c.call('terminal.screen', name)).join('\n'), { timeout: 15_000 }).toContain('ready');
      await c.call('terminal.attach', name);
    }
    await Promise.all(names.map((name) => c.call('terminal.input', name, 'go\r')));
    await expect.poll(() => names.every((name) => texts.get(name)!.includes('FLOOD DONE')), { timeout: 60_000, interval: 200 }).toBe(true);
    for (const name of names) {
      const lines = texts.get(name)!.slice(texts.get(name)!.indexOf('U000001')).split(/\r+\n/);
      expect(lines.slice(0, 10_000).every((text, i) => text === line(i + 1)), name).toBe(true);
      expect(lines[10_000]).toBe('FLOOD DONE');
    }
  }, 90_000);
});

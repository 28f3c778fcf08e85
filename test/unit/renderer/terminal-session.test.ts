import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TerminalOutput } from '../../../preload/contract';
import type { Bridge } from '../../../renderer/src/bridge';
import { TerminalSession, type TerminalSink } from '../../../renderer/src/console/terminal-session';

/** A bridge whose daemon side is the test: attach answers a snapshot, events are pushed by hand. */
function fakeBridge() {
  const listeners = new Set<(chunk: TerminalOutput) => void>();
  const calls: Array<[string, unknown[]]> = [];
  const bridge = {
    transport: 'websocket',
    call: (method: string, ...args: unknown[]) => {
      calls.push([method, args]);
      if (method === 'terminal.attach') return Promise.resolve({ seq: 2, cols: 80, rows: 24, data: 'screen' });
      return Promise.resolve(null);
    },
    on: (_event: string, listener: (chunk: TerminalOutput) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    connection: () => 'open',
    onConnection: () => () => undefined,
  } as unknown as Bridge;
  return { bridge, calls, push: (seq: number, data: string) => listeners.forEach((l) => l({ name: 'Alice', seq, data })) };
}

/** A sink that records writes and "parses" at once. */
function recordingSink() {
  const writes: Array<string | Uint8Array> = [];
  const sink: TerminalSink = { reset: () => writes.splice(0), resize: () => undefined, write: (data, parsed) => (writes.push(data), parsed()) };
  return { sink, writes };
}

describe('a console session', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes the snapshot, then output after its seq in order, dropping what the snapshot holds', async () => {
    const { bridge, push } = fakeBridge();
    const { sink, writes } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    const attached = session.attach();
    push(3, 'C'); // arrives before the attach reply: held
    push(2, 'B'); // already in the snapshot
    await attached;
    vi.advanceTimersByTime(100);
    push(4, 'D');
    vi.advanceTimersByTime(100);
    expect(writes.join('')).toBe('screenCD');
  });

  it('writes a chunk after a quiet spell at once, and gathers a flood into few writes', async () => {
    const { bridge, push } = fakeBridge();
    const { sink, writes } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    vi.advanceTimersByTime(1000);
    writes.splice(0);
    push(3, 'echo');
    expect(writes).toEqual(['echo']); // a keystroke's echo is not delayed
    for (let seq = 4; seq < 104; seq++) {
      push(seq, 'x');
      vi.advanceTimersByTime(1); // 100 chunks within 100 ms
    }
    vi.advanceTimersByTime(100);
    expect(writes.join('')).toBe(`echo${'x'.repeat(100)}`);
    expect(writes.length).toBeLessThanOrEqual(4);
  });

  it('acknowledges every parsed character to the daemon', async () => {
    const { bridge, push, calls } = fakeBridge();
    const { sink } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    for (let seq = 3; seq < 13; seq++) push(seq, 'y'.repeat(10));
    vi.advanceTimersByTime(500);
    const acked = calls.filter(([m]) => m === 'terminal.ack').reduce((sum, [, args]) => sum + (args[1] as number), 0);
    expect(acked).toBe(100);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalSession, type TerminalSink } from '../../../renderer/src/console/terminal-session';
import { fakeBridge } from './fake-bridge';

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
    const { bridge, push, acked } = fakeBridge();
    const { sink } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    for (let seq = 3; seq < 13; seq++) push(seq, 'y'.repeat(10));
    vi.advanceTimersByTime(500);
    expect(acked()).toBe(100);
  });
  it('in a flood, writes about ten times a second, never lets more than 512 KB wait, and keeps every byte in order', async () => {
    const { bridge, push } = fakeBridge();
    const { sink, writes } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    vi.advanceTimersByTime(1000);
    writes.splice(0);
    const sent: string[] = [];
    let seq = 3;
    const send = (data: string) => {
      sent.push(data);
      push(seq++, data);
    };
    send('a'.repeat(100_000)); // a flood starts: written at once
    for (let ms = 0; ms < 1000; ms += 10) {
      send(String(ms % 10).repeat(20_000)); // 2 MB/s in 20 KB chunks
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(200);
    expect(writes.join('')).toBe(sent.join(''));
    expect(writes.length).toBeGreaterThanOrEqual(8);
    expect(writes.length).toBeLessThanOrEqual(13); // ~10 a second, not one per 50 ms (21)
    // A burst arriving all at once is handed over in pieces of at most 512 KB (+ the chunk that crossed it).
    writes.splice(0);
    sent.splice(0);
    for (let i = 0; i < 80; i++) send('b'.repeat(20_000));
    vi.advanceTimersByTime(200);
    expect(writes.join('')).toBe(sent.join(''));
    for (const write of writes) expect(write.length).toBeLessThanOrEqual(512 * 1024 + 20_000);
  });

  it('in a flood it can skip from, gathers about five times a second up to 4,000,000 characters, writes at once when the flood pauses, and keeps every byte in order', async () => {
    const { bridge, push } = fakeBridge();
    const writes: Uint8Array[] = [];
    // Parses at once, and its terminal is one a fast-forward could skip from (normal buffer, no scroll region).
    const sink: TerminalSink = {
      reset: () => writes.splice(0),
      resize: () => undefined,
      write: (data, parsed) => (typeof data !== 'string' && writes.push(data), parsed()),
      skipView: () => ({ scrollback: 1_000, rows: 24 }),
    };
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    vi.advanceTimersByTime(1000);
    writes.splice(0);
    const sent: Uint8Array[] = [];
    let seq = 3;
    const send = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      sent.push(bytes);
      push(seq++, bytes, text.length);
    };
    const text = (parts: Uint8Array[]) => parts.map((part) => new TextDecoder().decode(part)).join('');
    send('a'.repeat(100_000)); // a flood starts: written at once
    for (let ms = 0; ms < 1000; ms += 10) {
      send(String(ms % 10).repeat(20_000)); // 2 MB/s in 20 KB chunks
      vi.advanceTimersByTime(10);
    }
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(8); // ~5 a second once it gathers for 200 ms, not one per 50 ms (21)
    // The flood pauses: what waits is written 25 ms after its last chunk, not at the next 200 ms mark.
    vi.advanceTimersByTime(50);
    send('last line\r\n');
    const before = writes.length;
    vi.advanceTimersByTime(30);
    expect(writes.length).toBe(before + 1);
    expect(text(writes)).toBe(text(sent));
    // A burst arriving all at once is handed over in pieces of at most 4,000,000 (+ the chunk that crossed it).
    writes.splice(0);
    sent.splice(0);
    for (let i = 0; i < 500; i++) send('b'.repeat(20_000));
    vi.advanceTimersByTime(300);
    expect(text(writes)).toBe(text(sent));
    expect(writes.length).toBeGreaterThanOrEqual(3);
    for (const write of writes) expect(write.length).toBeLessThanOrEqual(4_000_000 + 20_000);
  });

  it('while the terminal is still parsing, output waits for it, then goes in one write', async () => {
    const { bridge, push } = fakeBridge();
    const writes: string[] = [];
    const callbacks: Array<() => void> = [];
    // A sink that parses only when the test says so, as xterm parses in its own time.
    const sink: TerminalSink = { reset: () => undefined, resize: () => undefined, write: (data, parsed) => (writes.push(String(data)), callbacks.push(parsed)) };
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    callbacks.splice(0).forEach((parsed) => parsed()); // the snapshot is parsed
    vi.advanceTimersByTime(1000);
    push(3, 'first');
    expect(writes.at(-1)).toBe('first');
    for (let seq = 4; seq < 54; seq++) push(seq, 'x'.repeat(10_000));
    vi.advanceTimersByTime(1000); // timers came due meanwhile: nothing is written while parsing
    expect(writes.at(-1)).toBe('first');
    expect(session.settled).toBe(false);
    callbacks.splice(0).forEach((parsed) => parsed());
    expect(writes.at(-1)).toBe('x'.repeat(500_000));
    callbacks.splice(0).forEach((parsed) => parsed());
    expect(session.settled).toBe(true);
  });

  it('acknowledges a flood in a few calls per MB, and all of it', async () => {
    const { bridge, push, calls, acked } = fakeBridge();
    const { sink } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    for (let seq = 3; seq < 103; seq++) {
      push(seq, 'z'.repeat(20_000)); // 2 MB in 20 KB chunks, one every 5 ms
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(500);
    expect(acked()).toBe(2_000_000);
    expect(calls.filter(([m]) => m === 'terminal.ack').length).toBeLessThanOrEqual(8); // one per write: the first, then ~200 KB and ~400 KB writes
  });
  it('suspended (a hidden page), it detaches and takes no output; attaching again starts from a fresh snapshot', async () => {
    const { bridge, push, calls } = fakeBridge();
    const { sink, writes } = recordingSink();
    const session = new TerminalSession(bridge, 'Alice', sink, () => undefined);
    await session.attach();
    vi.advanceTimersByTime(1000);
    push(3, 'big'.repeat(30_000)); // being parsed when the page hides: its acknowledgement is not sent
    session.suspend();
    expect(session.isSuspended).toBe(true);
    expect(calls.map(([method]) => method)).toContain('terminal.detach');
    push(4, 'unseen');
    vi.advanceTimersByTime(500);
    expect(writes.join('')).not.toContain('unseen');
    expect(calls.filter(([method]) => method === 'terminal.ack')).toEqual([]);
    await session.attach();
    expect(session.isSuspended).toBe(false);
    expect(calls.filter(([method]) => method === 'terminal.attach')).toHaveLength(2);
    push(5, 'E');
    vi.advanceTimersByTime(500);
    expect(writes.join('')).toBe('screenE'); // cleared, the snapshot, then live output again
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchClock, OutputBatcher, splitChunks } from '../../../main/core/agents/output-batcher.js';

describe('OutputBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('joins output that arrives within the interval into one chunk', () => {
    const chunks: string[] = [];
    const batcher = new OutputBatcher((c) => chunks.push(c), { intervalMs: 5 });
    batcher.push('a');
    batcher.push('b');
    vi.advanceTimersByTime(4);
    expect(chunks).toEqual([]);
    batcher.push('c');
    vi.advanceTimersByTime(1);
    expect(chunks).toEqual(['abc']);
    batcher.push('d');
    vi.advanceTimersByTime(5);
    expect(chunks).toEqual(['abc', 'd']);
  });

  it('flushes at once when a batch reaches the chunk size, in pieces no larger than it', () => {
    const chunks: string[] = [];
    const batcher = new OutputBatcher((c) => chunks.push(c), { maxChunkChars: 4 });
    batcher.push('12');
    batcher.push('3456789');
    expect(chunks).toEqual(['1234', '5678', '9']);
    expect(batcher.bufferedChars).toBe(0);
  });

  it('batchers on one clock flush together in one timer (one turn, one timer for many agents)', () => {
    const chunks: string[] = [];
    const clock = new BatchClock(5);
    const a = new OutputBatcher((c) => chunks.push(`a:${c}`), { clock });
    const b = new OutputBatcher((c) => chunks.push(`b:${c}`), { clock });
    a.push('1');
    vi.advanceTimersByTime(3);
    b.push('2');
    a.push('3');
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(2);
    expect(chunks).toEqual(['a:13', 'b:2']);
    expect(vi.getTimerCount()).toBe(0);
    // A batcher flushed early (a read, a large batch) or disposed leaves the clock; the last one stops it.
    b.push('4');
    b.flush();
    expect(chunks).toEqual(['a:13', 'b:2', 'b:4']);
    expect(vi.getTimerCount()).toBe(0);
    a.push('5');
    a.dispose();
    vi.advanceTimersByTime(10);
    expect(chunks).toEqual(['a:13', 'b:2', 'b:4']);
  });

  it('lazy output (nobody waits for it) gathers on the lazy clock until output that completes a line or a block takes it on at once', () => {
    const chunks: string[] = [];
    const clock = new BatchClock(5);
    const lazyClock = new BatchClock(250);
    const batcher = new OutputBatcher((c) => chunks.push(c), { clock, lazyClock });
    // A spinner: redraws with no line feed wait up to the lazy interval, as one chunk.
    batcher.push('\r\x1b[2K⠋ Thinking', true);
    vi.advanceTimersByTime(100);
    batcher.push('\r\x1b[2K⠙ Thinking', true);
    vi.advanceTimersByTime(100);
    expect(chunks).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(chunks).toEqual(['\r\x1b[2K⠋ Thinking\r\x1b[2K⠙ Thinking']);
    // A line feed (a relay line may end there) takes what waited with it at the normal pace.
    batcher.push('\r\x1b[2K⠹', true);
    vi.advanceTimersByTime(100);
    batcher.push('\r\x1b[2K->> @bob done\r\n', true);
    vi.advanceTimersByTime(5);
    expect(chunks.slice(1)).toEqual(['\r\x1b[2K⠹\r\x1b[2K->> @bob done\r\n']);
    // So does a `>` (a block's closing >>> is read without its line feed) and output not marked lazy.
    batcher.push('>>', true);
    vi.advanceTimersByTime(5);
    batcher.push('typed', false);
    vi.advanceTimersByTime(5);
    expect(chunks.slice(2)).toEqual(['>>', 'typed']);
    // And bracketed paste turned on (the relay wraps injections by it) or a reset.
    batcher.push('\x1b[?2004h', true);
    vi.advanceTimersByTime(5);
    batcher.push('\x1bc', true);
    vi.advanceTimersByTime(5);
    expect(chunks.splice(4)).toEqual(['\x1b[?2004h', '\x1bc']);
    // A lazy batch that grows large goes on at the normal pace too.
    batcher.push('x'.repeat(3_000), true);
    batcher.push('y'.repeat(3_000), true);
    vi.advanceTimersByTime(5);
    expect(chunks.slice(4)).toEqual(['x'.repeat(3_000) + 'y'.repeat(3_000)]);
    // A read flushes what waits on the clocks.
    batcher.push('waiting', true);
    lazyClock.flush();
    expect(chunks.at(-1)).toBe('waiting');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('flush() passes on what is gathered', () => {
    const chunks: string[] = [];
    const batcher = new OutputBatcher((c) => chunks.push(c));
    batcher.push('tail');
    batcher.flush();
    expect(chunks).toEqual(['tail']);
  });
});

describe('splitChunks', () => {
  it('never splits a surrogate pair', () => {
    const text = 'ab😀cd😀';
    const pieces = splitChunks(text, 3);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(3);
      expect(/[\ud800-\udbff]$/.test(piece)).toBe(false);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { TerminalMirror } from '../../../main/core/agents/terminal-mirror.js';
import { freshTerminal, visibleText, writeAsync } from '../../integration/agents/agent-test-support.js';

describe('TerminalMirror', () => {
  it('snapshots the exact screen, colours, cursor and alternate screen', async () => {
    const mirror = new TerminalMirror({ cols: 40, rows: 10 });
    mirror.write({ seq: 1, data: 'before\r\n\x1b[31mred\x1b[0m text\r\n' });
    mirror.write({ seq: 2, data: '\x1b[?1049h\x1b[2J\x1b[5;5Hin the alt screen\x1b[7;3H' });
    const snapshot = await mirror.snapshot();
    expect(snapshot).toMatchObject({ seq: 2, cols: 40, rows: 10, cursorX: 2, cursorY: 6, altScreen: true });

    const term = freshTerminal(snapshot.cols, snapshot.rows);
    await writeAsync(term, snapshot.data);
    expect(visibleText(term)).toEqual(mirror.screenText());
    expect(term.buffer.active.type).toBe('alternate');
    expect([term.buffer.active.cursorX, term.buffer.active.cursorY]).toEqual([2, 6]);
    expect(mirror.screenText()[4]).toBe('    in the alt screen');
    mirror.dispose();
  });

  it('keeps at most the configured scrollback', async () => {
    const mirror = new TerminalMirror({ cols: 20, rows: 5, scrollback: 100 });
    let data = '';
    for (let i = 1; i <= 1_000; i++) data += `line ${i}\r\n`;
    mirror.write({ seq: 1, data });
    const snapshot = await mirror.snapshot();
    const term = freshTerminal(20, 5, 1_000);
    await writeAsync(term, snapshot.data);
    expect(term.buffer.active.length).toBe(105);
    expect(term.buffer.active.getLine(0)?.translateToString(true)).toBe('line 897');
    mirror.dispose();
  });

  it('reports parsed chunks in order and refuses out-of-order seqs', async () => {
    const mirror = new TerminalMirror({ cols: 20, rows: 5 });
    const parsed: number[] = [];
    mirror.onParsed((chunk) => parsed.push(chunk.seq));
    mirror.write({ seq: 1, data: 'a' });
    mirror.write({ seq: 2, data: 'b' });
    expect(() => mirror.write({ seq: 4, data: 'c' })).toThrow(RangeError);
    await mirror.flush();
    expect(parsed).toEqual([1, 2]);
    expect(mirror.backlogChars).toBe(0);
    mirror.dispose();
  });

  it('applies a resize after the output written before it', async () => {
    const mirror = new TerminalMirror({ cols: 10, rows: 3 });
    mirror.write({ seq: 1, data: '0123456789ABCDE' });
    mirror.resize(20, 3);
    mirror.write({ seq: 2, data: '\r\nnext' });
    await mirror.flush();
    // Written at 10 columns the line wrapped; had the resize jumped the queue it would fit on one row.
    expect(mirror.screenText()).toEqual(['0123456789', 'ABCDE', 'next']);
    expect(mirror.cols).toBe(20);
    mirror.dispose();
  });

  it('joins wrapped rows in logicalScreenText', async () => {
    const mirror = new TerminalMirror({ cols: 10, rows: 4 });
    mirror.write({ seq: 1, data: 'Do you want to proceed?' });
    await mirror.flush();
    expect(mirror.screenText().slice(0, 3)).toEqual(['Do you wan', 't to proce', 'ed?']);
    expect(mirror.logicalScreenText()[0]).toBe('Do you want to proceed?');
    mirror.dispose();
  });

  it('reuses a snapshot only while neither output nor size has changed', async () => {
    const mirror = new TerminalMirror({ cols: 20, rows: 5 });
    mirror.write({ seq: 1, data: 'hello' });
    const first = await mirror.snapshot();
    expect(await mirror.snapshot()).toBe(first);
    mirror.resize(30, 5);
    const resized = await mirror.snapshot();
    expect(resized).not.toBe(first);
    expect(resized.cols).toBe(30);
    mirror.write({ seq: 2, data: ' world' });
    const later = await mirror.snapshot();
    expect(later.seq).toBe(2);
    const term = freshTerminal(later.cols, later.rows);
    await writeAsync(term, later.data);
    expect(visibleText(term)[0]).toBe('hello world');
    mirror.dispose();
  });

  it('settles a snapshot and a flush that were waiting when the mirror closes', async () => {
    const mirror = new TerminalMirror({ cols: 20, rows: 5 });
    mirror.write({ seq: 1, data: 'x'.repeat(100_000) });
    const snapshot = mirror.snapshot();
    const flushed = mirror.flush();
    mirror.dispose();
    await expect(snapshot).rejects.toThrow('closed');
    await expect(flushed).resolves.toBeUndefined();
  });
});

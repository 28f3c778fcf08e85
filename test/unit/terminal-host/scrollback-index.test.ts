import { describe, expect, it } from 'vitest';
import { ASSEMBLE_CHARS, ASSEMBLE_CHUNKS, ScrollbackIndex, SearchQueryError } from '../../../main/core/terminal-host/scrollback-index.js';
import { seededRandom } from '../../support/seeded-random.js';

describe('ScrollbackIndex', () => {
  it('keeps plain lines: escapes stripped, \\r\\n and the pty\'s \\r\\r\\n end lines, even split across chunks', () => {
    const index = new ScrollbackIndex();
    index.write('A', '\x1b[1;32mgreen\x1b[0m text\r');
    index.write('A', '\r\nnext ');
    index.write('A', 'line\x1b[');
    index.write('A', '31m red\x1b]0;title\x07\r\n');
    const hits = index.search({ text: 'text' }).hits;
    expect(hits.map((h) => h.text)).toEqual(['green text']);
    expect(index.search({ text: 'next line red' }).hits[0]).toMatchObject({ agent: 'A', line: 1, before: ['green text'], start: 0, end: 13 });
  });

  it('applies carriage-return overwrites (spinners) and backspaces', () => {
    const index = new ScrollbackIndex();
    index.write('A', 'working 10%\rworking 50%\rdone 100%\r\nab\bc\r\n');
    expect(index.search({ text: 'working' }).hits).toEqual([]);
    expect(index.search({ text: 'done 100%' }).hits).toHaveLength(1);
    expect(index.search({ text: 'ac' }).hits).toHaveLength(1);
  });

  it('finds a line 9,000 lines back in the third of five agents, with context and its distance from the bottom', () => {
    const index = new ScrollbackIndex();
    const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const name of names) {
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i += 1) lines.push(name === 'a3' && i === 1_000 ? 'the needle: deploy key rotated' : `${name} build step ${i} ok`);
      index.write(name, `${lines.join('\r\n')}\r\n`);
    }
    const result = index.search({ text: 'NEEDLE: deploy' }, names);
    expect(result.lines).toBe(50_000);
    expect(result.hits).toHaveLength(1);
    expect(result.hits[0]).toMatchObject({ agent: 'a3', line: 1_000, fromBottom: 9_000, before: ['a3 build step 998 ok', 'a3 build step 999 ok'], after: ['a3 build step 1001 ok', 'a3 build step 1002 ok'] });
    expect(index.search({ text: 'needle', caseSensitive: true, agent: 'a2' }).hits).toEqual([]);
  });

  it('keeps the last N lines and numbers them from the agent\'s start', () => {
    const index = new ScrollbackIndex(() => 100);
    for (let i = 0; i < 250; i += 1) index.write('A', `row ${i}\n`);
    expect(index.lineCount('A')).toBe(100);
    expect(index.search({ text: 'row 5$', regex: true }).hits).toEqual([]);
    expect(index.search({ text: 'row 200$', regex: true }).hits[0]).toMatchObject({ line: 200, fromBottom: 50 });
  });

  it('regular expressions: a broken one or one that matches every line is a clear error', () => {
    const index = new ScrollbackIndex();
    index.write('A', 'error: E1234 failed\r\n');
    expect(index.search({ text: 'E\\d{4}', regex: true }).hits[0]).toMatchObject({ start: 7, end: 12 });
    expect(() => index.search({ text: '(', regex: true })).toThrow(SearchQueryError);
    expect(() => index.search({ text: '.*', regex: true })).toThrow(/matches every line/);
    expect(() => index.search({ text: '' })).toThrow(/Type something/);
  });

  const random = seededRandom;
  // Everything that changes how lines are cut: line ends as a pty writes them, overwrites, backspaces,
  // tabs, colours, cursor moves that end a line (only when it holds something), titles and DCS strings
  // with line feeds inside, two-character escapes, a lone ESC, other control characters, wide text.
  const TOKENS = [
    'word', ' ', 'x', 'ünï', '界', '\r\n', '\r\r\n', '\n', '\r', '\b', '\t', '   ', '\x1b[31m', '\x1b[0m', '\x1b[2K',
    '\x1b[5;1H', '\x1b[H', '\x1b[2A', '\x1b[B', '\x1b[3d', '\x1b[E', '\x1b[10f', '\x1b]0;ti\ntle\x07', '\x1bP1$r\nq\x1b\\',
    '\x1b(B', '\x1b7', '\x1b', '\x07', '\x00', '\x7f', '\x1b[?25l',
  ];
  const search = (index: ScrollbackIndex) => index.search({ text: '[a-z界ü ]', regex: true, limit: 1e9, context: 3 });

  it('counts the lines that only scroll off instead of assembling them: same lines, numbers and hits as assembling every line (random output)', () => {
    let counted = 0;
    for (let seed = 1; seed <= 30; seed += 1) {
      const next = random(seed);
      const fast = new ScrollbackIndex(() => 100);
      const full = new ScrollbackIndex(() => 100, { fastForward: false });
      let text = '';
      for (let step = 0; step < 40; step += 1) {
        // Mostly plain lines (the common case), with every kind of token mixed in.
        const tokens = Math.floor(next() * 3_000);
        for (let t = 0; t < tokens; t += 1) text += next() < 0.3 ? '\r\n' : TOKENS[Math.floor(next() * TOKENS.length)];
        // Written in random pieces (escapes and \r\n split anywhere), searched at random moments.
        while (text.length > 0 && next() < 0.9) {
          const cut = Math.ceil(next() * Math.min(text.length, 500));
          fast.write('A', text.slice(0, cut));
          full.write('A', text.slice(0, cut));
          text = text.slice(cut);
        }
        if (next() < 0.3) {
          expect(fast.lineCount('A'), `seed ${seed}`).toBe(full.lineCount('A'));
          expect(search(fast), `seed ${seed}`).toEqual(search(full));
        }
      }
      fast.write('A', text);
      full.write('A', text);
      const result = search(full);
      expect(result.hits.length).toBeGreaterThan(5);
      expect(search(fast), `seed ${seed}`).toEqual(result);
      expect(full.countedLines('A')).toBe(0);
      counted += fast.countedLines('A');
    }
    // The fast path was taken, and most lines were never assembled.
    expect(counted).toBeGreaterThan(50_000);
  });

  it('a flood: only the last N lines are assembled, numbered from the agent\'s start; a search during it sees everything so far', () => {
    const index = new ScrollbackIndex(() => 10_000);
    const line = (i: number) => `\x1b[32m${String(i).padStart(6, '0')}\x1b[0m flood line with some text to fill a terminal row ${'x'.repeat(30)}\r\n`;
    let written = 0;
    const write = (count: number) => {
      let chunk = '';
      for (let i = 0; i < count; i += 1) chunk += line(written + i);
      written += count;
      index.write('A', chunk);
    };
    for (let i = 0; i < 100; i += 1) write(1_000);
    // Mid-flood, with output not assembled yet (less than ASSEMBLE_CHARS since the last assembly).
    write(123);
    expect(ASSEMBLE_CHARS).toBeGreaterThan(123 * line(0).length);
    expect(index.lineCount('A')).toBe(10_000);
    expect(index.search({ text: '100122 flood' }).hits[0]).toMatchObject({ line: 100_122, fromBottom: 1 });
    expect(index.search({ text: '090123 flood' }).hits[0]).toMatchObject({ line: 90_123, fromBottom: 10_000, before: [] });
    expect(index.search({ text: '090122 flood' }).hits).toEqual([]);
    for (let i = 0; i < 100; i += 1) write(1_000);
    index.write('A', 'half a line');
    const last = index.search({ text: 'half a line' }).hits[0];
    expect(last).toMatchObject({ line: 200_123, fromBottom: 1, before: [`200121 flood line with some text to fill a terminal row ${'x'.repeat(30)}`, expect.any(String)] });
    expect(index.lineCount('A')).toBe(10_001);
    expect(index.countedLines('A')).toBeGreaterThan(130_000);
  });

  it('a spinner\'s redraws do not pile up as output: assembled every ASSEMBLE_CHUNKS chunks, or when the agent settles', () => {
    const index = new ScrollbackIndex();
    const redraw = (i: number) => `\r\x1b[2K\x1b[38;5;174m${'⠋⠙⠹'[i % 3]}\x1b[39m Thinking… (${i}s · esc to interrupt)`;
    index.write('A', 'started\r\n');
    for (let i = 0; i < ASSEMBLE_CHUNKS * 3 + 10; i += 1) index.write('A', redraw(i));
    expect(index.waitingChars('A')).toBeLessThan(ASSEMBLE_CHUNKS * redraw(0).length);
    index.settle('A');
    expect(index.waitingChars('A')).toBe(0);
    expect(index.lineCount('A')).toBe(2);
    const last = ASSEMBLE_CHUNKS * 3 + 9;
    expect(index.search({ text: 'Thinking' }).hits).toMatchObject([{ line: 1, text: `${'⠋⠙⠹'[last % 3]} Thinking… (${last}s · esc to interrupt)`, before: ['started'] }]);
  });
});


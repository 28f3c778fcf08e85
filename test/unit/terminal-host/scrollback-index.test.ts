import { describe, expect, it } from 'vitest';
import { ScrollbackIndex, SearchQueryError } from '../../../main/core/terminal-host/scrollback-index.js';

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
});

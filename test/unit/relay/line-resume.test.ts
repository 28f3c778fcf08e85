/**
 * A next daemon's relay takes up an agent's output where the last one let it go, even mid-line: the
 * rest of that line is read as its rest (LineAssembler.resumePoint / resumeLine), so a relay message is
 * never invented (`hello world` + `->relay:Bob hi` is prose) nor lost (`⏺ ` + `->relay:Bob hi`, or a
 * carriage return that rewrites the line from its start, is a relay line).
 */
import { describe, expect, it } from 'vitest';
import { MAX_RESUME_CELLS } from '../../../main/core/relay/line-assembler.js';
import { RelayParser, type ParsedRelayMessage } from '../../../main/core/relay/relay-parser.js';

const parser = () => new RelayParser({ cols: 80, rows: 24 });
const bodies = (messages: ReadonlyArray<ParsedRelayMessage>) => messages.map((m) => `${m.to}: ${m.body}`);

/** What one parser reads from all of it. */
function whole(text: string): string[] {
  const one = parser();
  return bodies(one.push(text));
}

/**
 * What two parsers read in turn: the first up to `at`, the second (taking up the first's resume point
 * when `resume`, else starting afresh as before) from there. Undefined when the first could not let go there.
 */
function split(text: string, at: number, resume = true): string[] | undefined {
  const first = parser();
  const read = bodies(first.push(text.slice(0, at)));
  const point = first.holding || first.open ? undefined : first.resumePoint();
  if (!point) return undefined;
  const next = parser();
  if (resume && point.line !== undefined) expect(next.resumeLine(point.line)).toBe(true);
  return [...read, ...bodies(next.push(text.slice(at)))];
}

describe('a relay takes up a line another relay let go of mid-line', () => {
  it('the rest of a prose line is not a relay line, though it starts with ->relay:', () => {
    const text = 'hello world->relay:Bob hi\n';
    const at = 'hello world'.length;
    expect(whole(text)).toEqual([]);
    expect(split(text, at)).toEqual([]);
    // Starting afresh (the bug): the rest reads as a line of its own and a message is invented.
    expect(split(text, at, false)).toEqual(['Bob: hi']);
  });

  it('the rest of a line that so far holds only a bullet is a relay line, and arrives', () => {
    const text = '⏺ ->relay:Bob hi\n';
    expect(whole(text)).toEqual(['Bob: hi']);
    expect(split(text, 2)).toEqual(['Bob: hi']);
  });

  it('a carriage return (and erase) that rewrites the line from its start makes a relay line', () => {
    for (const text of ['hello world\r->relay:Bob hi\n', 'hello world\r\x1b[2K->relay:Bob hi\n', '\r\x1b[36m⠋\x1b[0m Working…\r\x1b[36m⠙\x1b[0m Working…\r\x1b[K->relay:Bob done\r\n']) {
      const at = text.lastIndexOf('\r', text.indexOf('->relay'));
      expect(whole(text)).toHaveLength(1);
      expect(split(text, at)).toEqual(whole(text));
    }
  });

  it('cursor movement after the resume acts as it would have on the first relay (rows on the screen carried)', () => {
    const text = 'one\r\ntwo\r\nhello\x1b[1A->relay:Bob up\r\n';
    const at = text.indexOf('\x1b[1A');
    expect(split(text, at)).toEqual(whole(text));
    expect(whole(text)).toEqual(['Bob: up']);
  });

  it('on the alternate screen, leaving it returns to the main screen\'s row as it would have', () => {
    // Back on the main screen's top row, the cursor cannot go up: `hello` and the rest are one line.
    const text = '\x1b[?1049h\x1b[10;1Hworking\x1b[?1049lhello\x1b[1A->relay:Bob x\r\n';
    const at = text.indexOf('\x1b[?1049l');
    expect(whole(text)).toEqual([]);
    expect(split(text, at)).toEqual([]);
  });

  it('at every place a relay may let go of realistic output, the two relays together read what one reads', () => {
    const transcripts = [
      'ann> hello world->relay:Bob not a message\r\nann> ',
      '\r\x1b[36m⠋\x1b[0m Thinking…\r\x1b[36m⠙\x1b[0m Thinking…\r\x1b[2K⏺ ->relay:Bob status: green\r\n  more prose ~ here\r\n',
      'build 10%\rbuild 55%\rbuild 100%\r\n->relay:* done building\r\nwarning: x -> y\r\n',
      '  • step one\r\n  • ->relay:Cat take step two\r\n\x1b[1mbold\x1b[0m tail->relay:Cat nope\r\n',
      '\x1b[?1049h\x1b[H\x1b[2J\x1b[3;4Hstatus\x1b[?1049lback\r\n->relay:Bob after the TUI\r\n',
      'wide 漢字 text\r漢字 ->relay:Bob nope\r\n漢字\r->relay:Bob yes\r\n',
    ];
    for (const text of transcripts) {
      const reference = whole(text);
      let places = 0;
      for (let at = 1; at < text.length; at++) {
        const read = split(text, at);
        if (read === undefined) continue;
        places++;
        expect({ text, at, read }).toEqual({ text, at, read: reference });
      }
      expect(places).toBeGreaterThan(5);
    }
  });
});

describe('resume points', () => {
  it('none while the line under way could still become a relay line, a block end or a fence, or inside an escape sequence', () => {
    for (const prefix of ['->rel', '  -', '>>', '``', '~~', 'Working\x1b[3']) {
      const p = parser();
      p.push(prefix);
      expect(p.resumePoint()).toBeUndefined();
    }
  });

  it('at a line start, nothing to carry; mid-line, the line; a line too long to carry waits for its line feed', () => {
    const p = parser();
    expect(p.resumePoint()).toEqual({});
    p.push('done\r\n');
    expect(p.resumePoint()).toEqual({});
    p.push('hello');
    expect(p.resumePoint()?.line).toEqual(expect.any(String));
    p.push('x'.repeat(MAX_RESUME_CELLS));
    expect(p.resumePoint()).toBeUndefined();
  });

  it('a description that is not one, or one holding relay material, is refused and reading starts at a line start', () => {
    const good = parser();
    good.push('hello');
    const line = good.resumePoint()!.line!;
    const state = JSON.parse(line) as Record<string, unknown>;
    for (const bad of ['', 'nope', '{}', JSON.stringify({ ...state, v: 2 }), JSON.stringify({ ...state, cells: ['-', '>'] }), JSON.stringify({ ...state, col: -1 }), JSON.stringify({ ...state, cells: 'hello' })]) {
      const p = parser();
      expect(p.resumeLine(bad)).toBe(false);
      expect(bodies(p.push('->relay:Bob hi\n'))).toEqual(['Bob: hi']);
    }
    // Once output was read, a parser does not take up another's line.
    const fed = parser();
    fed.push('x\n');
    expect(fed.resumeLine(line)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { RelayParser, type ParsedRelayMessage, type RelayParserOptions } from '../../../main/core/relay/relay-parser.js';

function parseAll(chunks: ReadonlyArray<string | Uint8Array>, options: RelayParserOptions = {}): ParsedRelayMessage[] {
  const parser = new RelayParser(options);
  const out: ParsedRelayMessage[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  return out;
}

const SAMPLES: ReadonlyArray<{ name: string; output: string; expected: ParsedRelayMessage[] }> = [
  {
    name: 'coloured line with OSC title, bold glyph and multi-byte text',
    output: '\x1b]0;claude — work\x07\x1b[1m⏺\x1b[0m \x1b[32m->relay:Bob\x1b[0m hello \x1b[4mthere\x1b[24m ünïcödé 中文 🎉\r\n',
    expected: [{ to: 'Bob', body: 'hello there ünïcödé 中文 🎉', kind: 'line' }],
  },
  {
    name: 'block with a code fence holding >>> inside',
    output: '->relay:Carol <<<\r\n  line one\r\n  ```\r\n  >>>\r\n  ```\r\n  line three\r\n>>>\r\nafter\r\n',
    expected: [{ to: 'Carol', body: 'line one\n```\n>>>\n```\nline three', kind: 'block' }],
  },
  {
    name: 'fenced relay line ignored, the one after it fires',
    output: 'text\r\n```sh\r\n->relay:Bob inside\r\n```\r\n~~~\r\n->relay:Bob tilde\r\n~~~\r\n->relay:Bob outside\r\n',
    expected: [{ to: 'Bob', body: 'outside', kind: 'line' }],
  },
  {
    name: 'progress with carriage returns, then DCS and charset sequences',
    output: 'working 10%\rworking 100%\r\x1b[K->relay:Bob done\r\n\x1bP1$r0m\x1b\\\x1b(B\x1b)0->relay:* all hands\r\n',
    expected: [
      { to: 'Bob', body: 'done', kind: 'line' },
      { to: '*', body: 'all hands', kind: 'line' },
    ],
  },
  {
    name: 'C1 CSI and an OSC 8 hyperlink ended by ST',
    output: '\u009b31m->relay:Dana\u009b0m see \x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\ now\n',
    expected: [{ to: 'Dana', body: 'see link now', kind: 'line' }],
  },
];

describe('RelayParser chunking', () => {
  for (const sample of SAMPLES) {
    it(`gives the same messages for every split point of the bytes: ${sample.name}`, () => {
      const bytes = Buffer.from(sample.output, 'utf8');
      expect(parseAll([bytes])).toEqual(sample.expected);
      for (let i = 0; i <= bytes.length; i++) {
        expect(parseAll([bytes.subarray(0, i), bytes.subarray(i)]), `split at byte ${i}`).toEqual(sample.expected);
      }
    });

    it(`gives the same messages fed one byte and one character at a time: ${sample.name}`, () => {
      const bytes = Buffer.from(sample.output, 'utf8');
      expect(parseAll([...bytes].map((b) => Uint8Array.of(b)))).toEqual(sample.expected);
      expect(parseAll(sample.output.split(''))).toEqual(sample.expected);
    });
  }
});

describe('RelayParser lines', () => {
  it('fires only when the line feed arrives', () => {
    const parser = new RelayParser();
    expect(parser.push('->relay:Bob hel')).toEqual([]);
    expect(parser.push('lo')).toEqual([]);
    expect(parser.push('\r\n')).toEqual([{ to: 'Bob', body: 'hello', kind: 'line' }]);
  });

  it('does not fire for prose that mentions the syntax or for a prompt the human typed', () => {
    expect(parseAll(['To send, print `->relay:Bob hi` on a line\r\n', '> ->relay:Bob typed by the human\r\n', 'x ->relay:Bob mid-line\r\n'])).toEqual([]);
  });

  it('accepts names of letters, digits, - and _ up to 32 characters, and needs a body', () => {
    const name32 = 'a'.repeat(32);
    const out = parseAll([`->relay:${name32} ok\r\n`, `->relay:${name32}b too long\r\n`, '->relay:Bob\r\n', '->relay:bo.b x\r\n', '->relay:web-2_x hi\r\n']);
    expect(out).toEqual([
      { to: name32, body: 'ok', kind: 'line' },
      { to: 'web-2_x', body: 'hi', kind: 'line' },
    ]);
  });

  it('applies backspace, cursor-forward and erase so the text matches what the screen shows', () => {
    const out = parseAll(['->relay:Bob hx\bello\r\n', '->relay:Bob\x1b[1Cspaced\r\n', '->relay:Bob old text\r->relay:Bob new\r\n']);
    expect(out.map((m) => m.body)).toEqual(['hello', 'spaced', 'new']);
  });

  it('strips TUI decoration around the line, including a box border on the right', () => {
    expect(parseAll(['│ ->relay:Bob boxed message   │\r\n', '  • ->relay:Bob bullet\r\n'])).toEqual([
      { to: 'Bob', body: 'boxed message', kind: 'line' },
      { to: 'Bob', body: 'bullet', kind: 'line' },
    ]);
  });
});

describe('RelayParser wrapped lines', () => {
  it('joins a line exactly as wide as the terminal with its continuation', () => {
    // "->relay:Bob abcdefgh" is 20 columns.
    expect(parseAll(['->relay:Bob abcdefgh\r\nijkl\r\n'], { cols: 20 })).toEqual([{ to: 'Bob', body: 'abcdefghijkl', kind: 'line' }]);
  });

  it('joins several full-width rows and counts wide characters as two columns', () => {
    expect(parseAll(['->relay:Bob 中文中文\r\nabcdefghijklmnopqrst\r\nend\r\n'], { cols: 20 })).toEqual([
      { to: 'Bob', body: '中文中文abcdefghijklmnopqrstend', kind: 'line' },
    ]);
  });

  it('does not join a following relay line or a blank line', () => {
    expect(parseAll(['->relay:Bob abcdefgh\r\n->relay:Bob next\r\n->relay:Bob 12345678\r\n\r\n'], { cols: 20 })).toEqual([
      { to: 'Bob', body: 'abcdefgh', kind: 'line' },
      { to: 'Bob', body: 'next', kind: 'line' },
      { to: 'Bob', body: '12345678', kind: 'line' },
    ]);
  });

  it('releases a held full-width line on flush when nothing follows', () => {
    const parser = new RelayParser({ cols: 20 });
    expect(parser.push('->relay:Bob abcdefgh\r\n')).toEqual([]);
    expect(parser.holding).toBe(true);
    expect(parser.flush()).toEqual([{ to: 'Bob', body: 'abcdefgh', kind: 'line' }]);
  });

  it('reads a long line the terminal wrapped by itself (no newline in the stream) as one line', () => {
    const body = 'x'.repeat(150);
    expect(parseAll([`->relay:Bob ${body}\r\n`], { cols: 40 })).toEqual([{ to: 'Bob', body, kind: 'line' }]);
  });
});

describe('RelayParser blocks', () => {
  it('fires a block as soon as >>> is printed, without waiting for the newline', () => {
    const parser = new RelayParser();
    expect(parser.push('->relay:Bob <<<\r\nfirst\r\n\r\nsecond\r\n')).toEqual([]);
    expect(parser.push('>>>')).toEqual([{ to: 'Bob', body: 'first\n\nsecond', kind: 'block' }]);
    expect(parser.push('\r\n->relay:Bob after\r\n')).toEqual([{ to: 'Bob', body: 'after', kind: 'line' }]);
  });

  it('keeps relay lines inside a block as body text', () => {
    expect(parseAll(['->relay:* <<<\r\n->relay:Bob not separate\r\n>>>\r\n'])).toEqual([{ to: '*', body: '->relay:Bob not separate', kind: 'block' }]);
  });

  it('ignores a block opened inside a code fence', () => {
    expect(parseAll(['```\r\n->relay:Bob <<<\r\nbody\r\n>>>\r\n```\r\n'])).toEqual([]);
  });
});

describe('RelayParser echoes', () => {
  it('never fires for the echo header of an injected message', () => {
    expect(parseAll(['Relay message from Alice [abc123]: ->relay:Bob hi\r\n', '> Relay message from Alice [x]: hi\r\n'])).toEqual([]);
  });

  it('ignores the echo of injected text once, then fires the agent’s own line with the same text', () => {
    let now = 1_000;
    const parser = new RelayParser({ cols: 40, now: () => now });
    parser.noteInjected('Relay message from Alice [m1]: please forward this: ->relay:Carol the build is green');
    // The TUI wrapped the echo so the relay syntax starts a row.
    expect(parser.push('> Relay message from Alice [m1]: please forward this:\r\n  ->relay:Carol the build is green\r\n')).toEqual([]);
    now += 10;
    expect(parser.push('->relay:Carol the build is green\r\n')).toEqual([{ to: 'Carol', body: 'the build is green', kind: 'line' }]);
  });

  it('stops treating lines as echoes after the echo window', () => {
    let now = 0;
    const parser = new RelayParser({ now: () => now, echoWindowMs: 5_000 });
    parser.noteInjected('->relay:Carol hi');
    now = 6_000;
    expect(parser.push('->relay:Carol hi\r\n')).toHaveLength(1);
  });
});

describe('RelayParser redraws', () => {
  it('fires twice for the same text printed twice on purpose', () => {
    expect(parseAll(['->relay:Bob ping\r\n->relay:Bob ping\r\n'])).toHaveLength(2);
  });

  it('fires once when an Ink-style frame is erased and repainted', () => {
    const frame = '->relay:Bob hi\r\n⠋ thinking';
    const erase = '\x1b[2K\x1b[1A\x1b[2K\x1b[G';
    const out = parseAll([frame, `${erase}->relay:Bob hi\r\n⠙ thinking`, `${erase}->relay:Bob hi\r\n⠹ thinking`]);
    expect(out).toEqual([{ to: 'Bob', body: 'hi', kind: 'line' }]);
  });

  it('fires once when the repaint moves the line down (static output inserted above it)', () => {
    const out = parseAll(['->relay:Bob hi\r\nstatus', '\x1b[2K\x1b[1A\x1b[2K\x1b[Gnew static line\r\n->relay:Bob hi\r\nstatus']);
    expect(out).toHaveLength(1);
  });

  it('fires for a new copy printed after a repaint', () => {
    const out = parseAll(['->relay:Bob hi\r\nstatus', '\x1b[2K\x1b[1A\x1b[2K\x1b[G->relay:Bob hi\r\nstatus\r\n', '->relay:Bob hi\r\n']);
    expect(out).toHaveLength(2);
  });

  it('fires once when the screen is cleared and the whole transcript is reprinted', () => {
    const transcript = `->relay:Bob one\r\n${'filler\r\n'.repeat(60)}->relay:Bob two\r\n`;
    const out = parseAll([transcript, `\x1b[2J\x1b[3J\x1b[H${transcript}`, '->relay:Bob three\r\n'], { rows: 24 });
    expect(out.map((m) => m.body)).toEqual(['one', 'two', 'three']);
  });

  it('fires a block once when its frame is repainted', () => {
    const block = '->relay:Bob <<<\r\nline\r\n>>>\r\n';
    const out = parseAll([block, '\x1b[3A', block]);
    expect(out).toEqual([{ to: 'Bob', body: 'line', kind: 'block' }]);
  });

  it('reads a block being streamed by a TUI that repaints it as it grows', () => {
    const out = parseAll([
      '->relay:Bob <<<\r\nfirst\r\n',
      '\x1b[2A\x1b[J->relay:Bob <<<\r\nfirst\r\nsecond\r\n',
      '\x1b[3A\x1b[J->relay:Bob <<<\r\nfirst\r\nsecond\r\n>>>\r\n',
    ]);
    expect(out).toEqual([{ to: 'Bob', body: 'first\nsecond', kind: 'block' }]);
  });

  it('does not read text painted by absolute positioning without a newline', () => {
    expect(parseAll(['\x1b[?1049h\x1b[5;1H->relay:Bob painted\x1b[6;1Hmore\x1b[?1049l'])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { RelayParser, type ParsedRelayMessage } from '../../../main/core/relay/relay-parser.js';
import { seededRandom } from '../../support/seeded-random.js';

/*
 * The relay parser counts quiet plain lines instead of scanning them (LineAssembler.skipLines). These
 * tests feed the same output, cut the same way, to a parser that skips and one that scans every
 * character, and require the same messages at every step, the same held/open state and the same
 * cursor rows: the skip is an optimisation, never a change of meaning.
 */

const random = seededRandom;

// Pieces of terminal output: plain text, line ends, relay lines and blocks, fences, echoes, colours,
// cursor movement, erasing, screen switches, strings, wide and combining characters, C1 codes.
const PIECES = [
  'hello world',
  'x'.repeat(150),
  'y'.repeat(80),
  'z'.repeat(79),
  'trailing   ',
  '   ',
  '\r\n',
  '\r\n',
  '\r\n',
  '\n',
  '\r',
  '->relay:Bob hi there',
  '  ->relay:* all hands',
  '->relay:Bob <<<',
  '>>>',
  '  body line',
  '```',
  '```sh',
  '~~~',
  'prose ->relay:Bob not a message',
  'Relay message from Bob [m1]: ->relay:Carol echo',
  '->relay:Carol ' + 'w'.repeat(66),
  '\x1b[1m',
  '\x1b[0m',
  '\x1b[38;5;174m',
  '\x1b[2K',
  '\x1b[K',
  '\x1b[A',
  '\x1b[3A',
  '\x1b[B',
  '\x1b[H',
  '\x1b[5;3H',
  '\x1b[2J',
  '\x1b[J',
  '\x1b[10G',
  '\x1b[3C',
  '\x1b[2D',
  '\x1b[?1049h',
  '\x1b[?1049l',
  '\x1b[?25l',
  '\x1b[?2004h',
  '\x1b7',
  '\x1b8',
  '\x1bM',
  '\x1bc',
  '\x1b]0;title\x07',
  '\x1b]8;;https://x\x1b\\',
  '\x1b(B',
  '\u009b2K',
  '\t',
  '\b',
  'é',
  '⠋ Thinking…',
  '中文',
  '😀',
  'e\u0301',
  '─'.repeat(30),
  '->',
  'relay:',
  '`',
  '~',
  '\ud83d',
  '\udc00',
  '\u00a0',
  '\u200b',
  '\u0085',
  '\x7f',
  '\x07',
];

// Most output is plain lines, some coloured: three pieces in four come from these.
const PLAIN = ['hello world', 'x'.repeat(150), 'trailing   ', '\r\n', '\r\n', '\r\n', '\n', '\r', '\x1b[1m', '\x1b[0m', '漢字 ✓ ', '─'.repeat(50), 'é', '🙂', '\u3000'];

function generate(rand: () => number, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) {
    const from = rand() < 0.75 ? PLAIN : PIECES;
    out += from[Math.floor(rand() * from.length)];
  }
  return out;
}

function cut(rand: () => number, text: string): string[] {
  const chunks: string[] = [];
  let at = 0;
  while (at < text.length) {
    const size = 1 + Math.floor(rand() * (rand() < 0.2 ? 8 : 400));
    chunks.push(text.slice(at, at + size));
    at += size;
  }
  return chunks;
}

interface Step {
  messages: ParsedRelayMessage[];
  holding: boolean;
  open: boolean;
  position: RelayParser['position'];
}

function run(chunks: ReadonlyArray<string>, skip: boolean, resizes: ReadonlyMap<number, number>): { steps: Step[]; skipped: number } {
  let now = 1_000;
  const parser = new RelayParser({ cols: 80, rows: 24, skipPlainLines: skip, now: () => now });
  const steps: Step[] = [];
  chunks.forEach((chunk, i) => {
    now += 7;
    const messages = parser.push(chunk);
    const cols = resizes.get(i);
    if (cols !== undefined) messages.push(...parser.resize(cols, 24));
    if (i % 50 === 49) messages.push(...parser.flush());
    steps.push({ messages, holding: parser.holding, open: parser.open, position: parser.position });
  });
  steps.push({ messages: parser.flush(), holding: parser.holding, open: parser.open, position: parser.position });
  return { steps, skipped: parser.linesSkipped };
}

describe('relay parser: counting quiet plain lines equals scanning them', () => {
  it('gives the same messages, state and rows for random output cut at random places (200 seeds)', () => {
    let skipped = 0;
    let messages = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rand = random(seed);
      const chunks = cut(rand, generate(rand, 400));
      const resizes = new Map<number, number>();
      for (let i = 0; i < chunks.length; i++) if (rand() < 0.02) resizes.set(i, rand() < 0.5 ? 40 : 120);
      const full = run(chunks, false, resizes);
      const fast = run(chunks, true, resizes);
      expect(full.skipped, `seed ${seed}`).toBe(0);
      for (let i = 0; i < full.steps.length; i++) expect(fast.steps[i], `seed ${seed}, after chunk ${i}`).toEqual(full.steps[i]);
      skipped += fast.skipped;
      messages += full.steps.reduce((n, step) => n + step.messages.length, 0);
    }
    // The comparison means something only if both sides did work: lines were skipped, messages fired.
    expect(skipped).toBeGreaterThan(1_000);
    expect(messages).toBeGreaterThan(150);
  });

  it('skips a plain flood (and a coloured one with wide characters) and still fires the relay line inside it', () => {
    const flood = (colour: boolean) => {
      let text = '';
      for (let n = 1; n <= 5_000; n++) {
        const body = `L${String(n).padStart(6, '0')} ${'x'.repeat(92)}`;
        // Coloured, with wide characters and lines wider than the terminal, as colour-flood.mjs prints.
        const wide = n % 7 === 0 ? ` ${'wrapped '.repeat(20)}` : '';
        text += colour ? `\x1b[32m${body.slice(0, 10)}\x1b[0m 漢字 ✓ ${body.slice(10)}${wide}\r\n` : `${body}\r\n`;
        if (n === 2_500) text += '\x1b[1m->relay:Bob\x1b[0m found it\r\n';
        // The marker cut by colours: only the line as the terminal shows it reads ->relay:.
        if (n === 3_000) text += '->\x1b[1mrelay:Carol\x1b[0m split\r\n';
      }
      return text;
    };
    for (const colour of [false, true]) {
      const text = flood(colour);
      const chunks: string[] = [];
      for (let at = 0; at < text.length; at += 4096) chunks.push(text.slice(at, at + 4096));
      const skipping = new RelayParser({ cols: 120, rows: 40 });
      const scanning = new RelayParser({ cols: 120, rows: 40, skipPlainLines: false });
      const got = chunks.flatMap((chunk) => skipping.push(chunk));
      const want = chunks.flatMap((chunk) => scanning.push(chunk));
      expect(got).toEqual([
        { to: 'Bob', body: 'found it', kind: 'line' },
        { to: 'Carol', body: 'split', kind: 'line' },
      ]);
      expect(got).toEqual(want);
      expect(skipping.position).toEqual(scanning.position);
      // Nearly every line is counted, not scanned: at most the line a chunk cut and the relay line are not.
      expect(skipping.linesSkipped).toBeGreaterThan(5_000 - 2 * chunks.length - 2);
    }
  });

  it('does not skip while a block is open or a wide line is held, and reads them the same', () => {
    const text = '->relay:Bob <<<\r\n' + 'plain line\r\n'.repeat(50) + '>>>\r\n' + `->relay:Carol ${'w'.repeat(66)}\r\ncontinued\r\n` + 'after\r\n'.repeat(20);
    const skipping = new RelayParser({ cols: 80, rows: 24 });
    const scanning = new RelayParser({ cols: 80, rows: 24, skipPlainLines: false });
    const got = [...skipping.push(text), ...skipping.flush()];
    expect(got).toEqual([...scanning.push(text), ...scanning.flush()]);
    expect(got.map((m) => m.to)).toEqual(['Bob', 'Carol']);
    expect(got[1]?.body).toBe(`${'w'.repeat(66)}continued`);
    expect(skipping.linesSkipped).toBe(20);
  });

  it('goes on counting after a line it had to scan, in the same coloured chunk', () => {
    const text = '\x1b[1mcolour\x1b[0m\r\n' + '\x1b[2Kerased first\r\n' + '\x1b[32mplain\x1b[0m\r\n'.repeat(20) + '->relay:Bob \x1b[1mstill here\x1b[0m\r\n' + 'after\r\n'.repeat(5);
    const skipping = new RelayParser({ cols: 80, rows: 24 });
    const scanning = new RelayParser({ cols: 80, rows: 24, skipPlainLines: false });
    const got = skipping.push(text);
    expect(got).toEqual(scanning.push(text));
    expect(got).toEqual([{ to: 'Bob', body: 'still here', kind: 'line' }]);
    expect(skipping.position).toEqual(scanning.position);
    // All but the erasing line and the relay line were counted.
    expect(skipping.linesSkipped).toBe(1 + 20 + 5);
  });
});

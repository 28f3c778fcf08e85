import { describe, expect, it } from 'vitest';
import { TerminalMirror, type TerminalSnapshot } from '../../../main/core/agents/terminal-mirror.js';
import { freshTerminal, serialize, writeAsync } from '../../integration/agents/agent-test-support.js';
import { seededRandom } from '../../support/seeded-random.js';

const random = seededRandom;

type Rand = () => number;
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const int = (rand: Rand, low: number, high: number) => low + Math.floor(rand() * (high - low + 1));

const WORDS = ['alpha', 'beta', 'γάμμα', 'дельта', '漢字', 'ｗｉｄｅ', '😀', 'e\u0301', 'tab\there', 'back\b\bsp', '€uro', 'x'];
const SGRS = ['\x1b[m', '\x1b[0m', '\x1b[1m', '\x1b[31m', '\x1b[0;32;44m', '\x1b[38;5;174m', '\x1b[38:2::10:20:30m', '\x1b[48;2;1;2;3m', '\x1b[4:3m', '\x1b[58;5;9m', '\x1b[59m', '\x1b[22;39m', '\x1b[7m', '\x1b[31;0;1m', '\x1b[24m', '\x1b[53m', '\x1b[3m'];
// Not dim (SGR 2): the serialize addon turns dim off with SGR 22, which turns bold off too, so a
// bold cell after a dim one replays as not bold unless a reset (such as a block boundary) precedes
// it. That is the addon's, whatever the fast-forward does, and would only add noise here.
/** Everything that is not "simple" for the fast-forward, so each must stop or bound a skip. */
const SPECIALS = [
  '\x1b[3;6r', // scroll region
  '\x1b[r',
  '\x1b[?1049h\x1b[2J\x1b[2;3Halt screen', // alternate screen
  '\x1b[?1049l',
  '\x1b[5;2H', // cursor moves
  '\x1b[2A',
  '\x1b]0;a title\x07', // OSC
  '\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\',
  '\x1b[2J',
  '\x1b[3J', // clears the scrollback (and the archive)
  '\x1bc', // full reset
  '\x1b[?7l', // no autowrap …
  '\x1b[?7h',
  '\x1b[?45h', // reverse wraparound
  '\x1b[20h', // LNM
  '\x1b[20l',
  '\x1b[4h', // insert mode
  '\x1b[4l',
  '\x1b(0lqk\x1b(B', // line drawing charset
  '\x1b7', // save / restore cursor
  '\x1b8',
  '\x1b[>4;1m', // not an SGR
  '\u0085', // C1 (NEL)
  '\x1bM', // reverse index
  '\x1b[5b', // REP
  '\x07',
  '\x0b',
  '\x7f',
];

function line(rand: Rand, n: number, cols: number, coloured: boolean): string {
  let text = `L${n}`;
  const words = int(rand, 0, 8);
  for (let i = 0; i < words; i++) {
    if (coloured && rand() < 0.4) text += pick(rand, SGRS);
    text += ` ${pick(rand, WORDS)}`;
  }
  // Long lines that wrap, some exactly at the margin.
  if (rand() < 0.1) text += ' ' + 'w'.repeat(int(rand, cols - 10, cols * 3));
  if (rand() < 0.03) text += 'z'.repeat(Math.max(0, cols - text.length));
  // Most lines end in CR LF; some in a bare LF or in CR alone.
  const end = rand();
  return text + (end < 0.9 ? '\r\n' : end < 0.97 ? '\n' : '\r');
}

interface Flood {
  readonly cols: number;
  readonly rows: number;
  readonly scrollback: number;
  /** Chunks, resizes and reads in order. */
  readonly ops: ReadonlyArray<{ data: string } | { resize: [number, number] } | { read: true }>;
}

function generate(seed: number): Flood {
  const rand = random(seed);
  const cols = int(rand, 20, 90);
  const rows = int(rand, 4, 20);
  const scrollback = rand() < 0.2 ? int(rand, 1_700, 2_200) : int(rand, 0, 300);
  const coloured = rand() < 0.6;
  const specials = rand() < 0.7 ? rand() * 0.004 : 0;
  const keep = scrollback + 2 * rows + 64;
  const lines = int(rand, keep + 200, keep + 4_000);
  let stream = '';
  for (let n = 1; n <= lines; n++) {
    if (rand() < specials) stream += pick(rand, SPECIALS);
    stream += line(rand, n, cols, coloured);
  }
  // Cut anywhere: inside escape sequences, surrogate pairs and CR LF pairs too.
  const ops: Array<{ data: string } | { resize: [number, number] } | { read: true }> = [];
  for (let at = 0; at < stream.length; ) {
    const size = rand() < 0.3 ? int(rand, 1, 40) : int(rand, 100, 30_000);
    ops.push({ data: stream.slice(at, at + size) });
    at += size;
    const r = rand();
    if (r < 0.01) ops.push({ resize: [int(rand, 20, 90), int(rand, 4, 20)] });
    else if (r < 0.02) ops.push({ read: true });
  }
  return { cols, rows, scrollback, ops };
}

/** What a console shows after replaying a snapshot, serialized. */
async function replayed(snapshot: TerminalSnapshot, scrollback: number): Promise<string> {
  const term = freshTerminal(snapshot.cols, snapshot.rows, scrollback);
  await writeAsync(term, snapshot.data);
  const data = serialize(term);
  const cursor = [term.buffer.active.cursorX, term.buffer.active.cursorY, term.buffer.active.type].join(',');
  term.dispose();
  return `${cursor}\n${data}`;
}

/** Equal, or an error that shows the first rows that differ. */
function expectSame(fast: string, full: string): void {
  if (fast === full) return;
  const a = fast.split('\r\n');
  const b = full.split('\r\n');
  let row = 0;
  while (row < a.length && a[row] === b[row]) row++;
  const show = (rows: string[]) => JSON.stringify(rows.slice(Math.max(0, row - 1), row + 2));
  throw new Error(`replays differ at row ${row} of ${a.length}/${b.length}: fast-forwarded ${show(a)}, full parse ${show(b)}`);
}

/** Feeds the same flood to a mirror that fast-forwards and to one that parses everything. */
async function compare(flood: Flood): Promise<{ skipped: number }> {
  const options = { cols: flood.cols, rows: flood.rows, scrollback: flood.scrollback };
  const fast = new TerminalMirror(options);
  const full = new TerminalMirror({ ...options, fastForward: false });
  let seq = 0;
  for (const op of flood.ops) {
    if ('data' in op) {
      seq += 1;
      fast.write({ seq, data: op.data });
      full.write({ seq, data: op.data });
    } else if ('resize' in op) {
      fast.resize(...op.resize);
      full.resize(...op.resize);
    } else {
      // A read in the middle of the flood: it waits for the mirror, and is exact then too.
      const [a, b] = await Promise.all([fast.snapshot(), full.snapshot()]);
      expect(a.seq).toBe(b.seq);
      expectSame(await replayed(a, flood.scrollback), await replayed(b, flood.scrollback));
    }
  }
  const [a, b] = await Promise.all([fast.snapshot(), full.snapshot()]);
  expect([a.seq, a.cols, a.rows, a.cursorX, a.cursorY, a.altScreen]).toEqual([b.seq, b.cols, b.rows, b.cursorX, b.cursorY, b.altScreen]);
  expect(fast.screenText()).toEqual(full.screenText());
  // Byte for byte what a console attaching now would show.
  expectSame(await replayed(a, flood.scrollback), await replayed(b, flood.scrollback));
  const skipped = fast.fastForwarded.chars;
  expect(full.fastForwarded.chars).toBe(0);
  fast.dispose();
  full.dispose();
  return { skipped };
}

describe('mirror fast-forward', () => {
  it('gives the same attach as a full parse, byte for byte, over many random floods', async () => {
    const cases = Number(process.env.FAST_FORWARD_CASES ?? 60);
    const first = Number(process.env.FAST_FORWARD_SEED ?? 1);
    let skippedCases = 0;
    for (let seed = first; seed < first + cases; seed++) {
      const flood = generate(seed);
      try {
        const { skipped } = await compare(flood);
        if (skipped > 0) skippedCases += 1;
      } catch (error) {
        throw new Error(`seed ${seed} (cols ${flood.cols}, rows ${flood.rows}, scrollback ${flood.scrollback}): ${(error as Error).message}`, { cause: error });
      }
    }
    // The property is only worth something if many of the floods were actually fast-forwarded.
    expect(skippedCases).toBeGreaterThan(cases / 4);
  }, 600_000);

  it('skips most of a plain flood, and parses only what the scrollback keeps', async () => {
    const mirror = new TerminalMirror({ cols: 80, rows: 24, scrollback: 1_000 });
    let data = '';
    for (let n = 1; n <= 20_000; n++) data += `line ${n} \x1b[3${n % 8}mcoloured\x1b[0m plain\r\n`;
    for (let i = 0, seq = 1; i < data.length; i += 65_536, seq++) mirror.write({ seq, data: data.slice(i, i + 65_536) });
    await mirror.flush();
    expect(mirror.fastForwarded.chars).toBeGreaterThan(data.length * 0.8);
    // The last lines are there, in order; the oldest one kept is the scrollback's first.
    expect(mirror.screenText()[22]).toBe('line 20000 coloured plain');
    const snapshot = await mirror.snapshot();
    const term = freshTerminal(80, 24, 1_000);
    await writeAsync(term, snapshot.data);
    expect(term.buffer.normal.getLine(0)?.translateToString(true)).toBe('line 18978 coloured plain');
    term.dispose();
    mirror.dispose();
  });

  it('replays the pen exactly when the skipped text never resets it', async () => {
    // Colours changed line by line, never reset: the replay is every SGR sequence skipped, on top
    // of the pen the mirror had.
    let data = '\x1b[1;4m';
    for (let n = 1; n <= 3_000; n++) data += `\x1b[3${n % 8}mline ${n} ${'text '.repeat(20)}\x1b[4${(n * 3) % 8}m bg${n % 11 === 0 ? '\x1b[7m' : n % 13 === 0 ? '\x1b[27m' : ''}\r\n`;
    const ops = [];
    for (let i = 0; i < data.length; i += 7_777) ops.push({ data: data.slice(i, i + 7_777) });
    const { skipped } = await compare({ cols: 50, rows: 10, scrollback: 200, ops });
    expect(skipped).toBeGreaterThan(data.length / 2);
  });

  it('holds at most holdChars accepted but unparsed: a flood of long lines parses', async () => {
    const holdChars = 100_000;
    const mirror = new TerminalMirror({ cols: 80, rows: 24, scrollback: 1_000, holdChars });
    let accepted = 0;
    mirror.onAccepted((chars) => (accepted += chars));
    const line = (n: number) => `long ${n} ${'y'.repeat(5_000)}\r\n`;
    let written = 0;
    for (let seq = 1; seq <= 400; seq++) {
      const data = line(seq);
      mirror.write({ seq, data });
      written += data.length;
      // What it acknowledged and has not handed to xterm stays within holdChars.
      expect(accepted - (written - mirror.heldChars)).toBeLessThanOrEqual(holdChars);
      if (seq % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await mirror.flush();
    expect(accepted).toBe(written);
    expect(mirror.heldChars).toBe(0);
    // 1,000 scrollback lines of 5,000 characters never fit in 100,000 held: nothing was skipped.
    expect(mirror.fastForwarded.chars).toBe(0);
    expect(mirror.screenText().join('')).toContain('yyyy');
    mirror.dispose();
  });

  it('does not skip with a scroll region set, nor in the alternate screen', async () => {
    for (const mode of ['\x1b[1;20r', '\x1b[?1049h']) {
      const mirror = new TerminalMirror({ cols: 80, rows: 24, scrollback: 1_000 });
      let data = mode;
      for (let n = 1; n <= 5_000; n++) data += `line ${n}\r\n`;
      mirror.write({ seq: 1, data });
      await mirror.flush();
      expect(mirror.fastForwarded.chars).toBe(0);
      mirror.dispose();
    }
  });
});

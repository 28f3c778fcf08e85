/**
 * Random floods for the fast-forward tests (the daemon's mirror, and the console's): seeded lines of
 * text, colours, wide and combining characters, wraps, and now and then a sequence that is not
 * "simple" (scroll regions, the alternate screen, cursor moves, OSC 8, RIS …), cut into chunks
 * anywhere, with resizes and reads between them.
 */
import { seededRandom } from './seeded-random.js';

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

export interface Flood {
  readonly cols: number;
  readonly rows: number;
  readonly scrollback: number;
  /** Chunks, resizes and reads in order. */
  readonly ops: ReadonlyArray<{ data: string } | { resize: [number, number] } | { read: true }>;
}

export function generate(seed: number): Flood {
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

/** Equal, or an error that shows the first rows that differ. */
export function expectSame(fast: string, full: string): void {
  if (fast === full) return;
  const a = fast.split('\r\n');
  const b = full.split('\r\n');
  let row = 0;
  while (row < a.length && a[row] === b[row]) row++;
  const show = (rows: string[]) => JSON.stringify(rows.slice(Math.max(0, row - 1), row + 2));
  throw new Error(`replays differ at row ${row} of ${a.length}/${b.length}: fast-forwarded ${show(a)}, full parse ${show(b)}`);
}

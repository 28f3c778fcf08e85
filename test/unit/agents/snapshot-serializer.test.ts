import { describe, expect, it } from 'vitest';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { TerminalMirror } from '../../../main/core/agents/terminal-mirror.js';
import { freshTerminal, serialize, waitFor, writeAsync } from '../../integration/agents/agent-test-support.js';

/** Every line of the normal buffer as text plus the style of every non-blank cell. */
function dump(term: HeadlessTerminal): string[] {
  const buffer = term.buffer.normal;
  const cell = buffer.getNullCell();
  const out: string[] = [];
  for (let y = 0; y < buffer.length; y++) {
    const line = buffer.getLine(y);
    if (!line) continue;
    let styles = '';
    for (let x = 0; x < line.length; x++) {
      line.getCell(x, cell);
      if (cell.getChars() === '') continue;
      styles += `${cell.getFgColorMode()}:${cell.getFgColor()}/${cell.getBgColorMode()}:${cell.getBgColor()}/${cell.isBold()}${cell.isItalic()}${cell.isUnderline()}${cell.isInverse()}|`;
    }
    // The oldest line may continue one that was trimmed; no replay can mark a first line as wrapped.
    out.push(`${line.isWrapped && y > 0 ? '↪' : ' '}${line.translateToString(true)} ${styles}`);
  }
  return out;
}

/** What a console that attaches now would show, compared with the mirror itself. */
async function expectExactReplay(mirror: TerminalMirror, mirrorTerm: HeadlessTerminal, scrollback: number): Promise<void> {
  const snapshot = await mirror.snapshot();
  const term = freshTerminal(snapshot.cols, snapshot.rows, scrollback);
  await writeAsync(term, snapshot.data);
  expect(dump(term)).toEqual(dump(mirrorTerm));
  expect([term.buffer.active.cursorX, term.buffer.active.cursorY, term.buffer.active.type]).toEqual([
    mirrorTerm.buffer.active.cursorX,
    mirrorTerm.buffer.active.cursorY,
    mirrorTerm.buffer.active.type,
  ]);
  term.dispose();
}

function colouredLines(from: number, count: number, cols: number): string {
  let data = '';
  for (let n = from; n < from + count; n++) {
    const long = n % 7 === 0 ? ` ${'wrap '.repeat(Math.ceil((cols * 1.5) / 5))}` : '';
    // Every fifth line leaves its colour on, so the pen carries over line (and block) boundaries.
    const end = n % 5 === 0 ? '\x1b[35;4m' : '\x1b[0m';
    data += `\x1b[3${n % 8}m${n % 3 === 0 ? '\x1b[1m' : ''}L${n}\x1b[0m plain \x1b[44mblue bg${end}${long}\r\n`;
  }
  return data;
}

// The mirror's terminal is private; a twin fed the same bytes is the reference.
function twin(cols: number, rows: number, scrollback: number) {
  const mirror = new TerminalMirror({ cols, rows, scrollback });
  const reference = freshTerminal(cols, rows, scrollback);
  let seq = 0;
  return {
    mirror,
    reference,
    async write(data: string) {
      mirror.write({ seq: ++seq, data });
      await Promise.all([mirror.flush(), writeAsync(reference, data)]);
    },
    resize(cols2: number, rows2: number) {
      mirror.resize(cols2, rows2);
      reference.resize(cols2, rows2);
    },
  };
}

describe('snapshot of a long scrollback (cached blocks)', () => {
  it('replays exactly while the scrollback fills, trims, is cleared, reset and resized', async () => {
    const scrollback = 5_000;
    const t = twin(60, 20, scrollback);
    expect(t.mirror.cachedSnapshotLines).toBe(0);
    await t.write(colouredLines(1, 3_000, 60));
    await expectExactReplay(t.mirror, t.reference, scrollback);
    await t.write(colouredLines(3_001, 2_500, 60));
    await expectExactReplay(t.mirror, t.reference, scrollback);
    // Most of the scrollback is now kept serialized in blocks.
    expect(t.mirror.cachedSnapshotLines).toBeGreaterThan(3_000);
    // Trimming past the first cached block.
    await t.write(colouredLines(5_501, 1_700, 60));
    await expectExactReplay(t.mirror, t.reference, scrollback);
    await expectExactReplay(t.mirror, t.reference, scrollback);
    t.resize(47, 25);
    await t.write(colouredLines(7_201, 400, 47));
    await expectExactReplay(t.mirror, t.reference, scrollback);
    // Alternate screen over a long scrollback.
    await t.write('\x1b[?1049h\x1b[2J\x1b[3;4H\x1b[32mfull screen app\x1b[5;1H');
    await expectExactReplay(t.mirror, t.reference, scrollback);
    await t.write('\x1b[?1049l');
    // Clear the scrollback, then fill it again.
    await t.write('\x1b[3J');
    await expectExactReplay(t.mirror, t.reference, scrollback);
    await t.write(colouredLines(8_001, 2_600, 47));
    await expectExactReplay(t.mirror, t.reference, scrollback);
    // A full reset replaces the buffer.
    await t.write('\x1bc');
    await t.write(colouredLines(20_001, 2_200, 47));
    await expectExactReplay(t.mirror, t.reference, scrollback);
    t.mirror.dispose();
  }, 60_000);

  it('serializes new scrollback ahead of an attach once output is quiet', async () => {
    // A scrollback short enough to stay whole in xterm (no archive): blocks are made when quiet.
    const t = twin(60, 20, 1_500);
    await t.write(colouredLines(1, 1_450, 60));
    expect(t.mirror.cachedSnapshotLines).toBe(0);
    await waitFor(() => t.mirror.cachedSnapshotLines >= 1_000, 'scrollback cached in the background');
    await expectExactReplay(t.mirror, t.reference, 1_500);
    t.mirror.dispose();
  });

  it('a 10,000-line scrollback lives mostly as text; an attach after 25,000 lines holds the last 10,000 in order', async () => {
    const scrollback = 10_000;
    const t = twin(120, 40, scrollback);
    let seq = 0;
    // Chunks as large as a batch (and one far larger), so pieces and the archive are exercised.
    for (let from = 1; from <= 25_000; from += 2_500) {
      let data = '';
      for (let n = from; n < from + 2_500; n++) {
        // Mostly plain rows (the archive's fast path), with trailing spaces, gaps, wide characters,
        // colour and wrapped rows among them (the serialize addon's).
        const plain = Math.floor(n / 1_000) % 2 === 1;
        const extra = plain ? (n % 5 === 0 ? 'spaces   ' : 'plain') : n % 9 === 0 ? 'y'.repeat(300) : n % 11 === 0 ? 'gap\x1b[5Cafter' : n % 13 === 0 ? '漢字 wide' : n % 17 === 0 ? '\x1b[31mred\x1b[0m' : n % 5 === 0 ? 'spaces   ' : 'plain';
        data += `L${String(n).padStart(6, '0')} ${extra}\r\n`;
      }
      t.mirror.write({ seq: ++seq, data });
      await writeAsync(t.reference, data);
    }
    await t.mirror.flush();
    // Most rows are text now, not xterm cells.
    expect(t.mirror.archivedLines).toBeGreaterThan(8_000);
    await expectExactReplay(t.mirror, t.reference, scrollback);
    const snapshot = await t.mirror.snapshot();
    const term = freshTerminal(snapshot.cols, snapshot.rows, scrollback);
    await writeAsync(term, snapshot.data);
    // Byte for byte what a console that watched it all shows.
    expect(serialize(term)).toBe(serialize(t.reference));
    const numbers: number[] = [];
    for (let y = 0; y < term.buffer.normal.length; y++) {
      const match = /^L(\d{6}) /.exec(term.buffer.normal.getLine(y)?.translateToString(true) ?? '');
      if (match) numbers.push(Number(match[1]));
    }
    // Every line from the oldest kept to 25,000, once each, in order; the scrollback is full.
    expect(numbers[numbers.length - 1]).toBe(25_000);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
    expect(term.buffer.normal.length).toBe(scrollback + 40);
    term.dispose();
    t.mirror.dispose();
  }, 60_000);
});

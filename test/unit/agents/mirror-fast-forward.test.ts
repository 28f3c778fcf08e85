import { describe, expect, it } from 'vitest';
import { TerminalMirror, type TerminalSnapshot } from '../../../main/core/agents/terminal-mirror.js';
import { freshTerminal, serialize, writeAsync } from '../../integration/agents/agent-test-support.js';
import { expectSame, generate, type Flood } from '../../support/terminal-floods.js';

/** What a console shows after replaying a snapshot, serialized. */
async function replayed(snapshot: TerminalSnapshot, scrollback: number): Promise<string> {
  const term = freshTerminal(snapshot.cols, snapshot.rows, scrollback);
  await writeAsync(term, snapshot.data);
  const data = serialize(term);
  const cursor = [term.buffer.active.cursorX, term.buffer.active.cursorY, term.buffer.active.type].join(',');
  term.dispose();
  return `${cursor}\n${data}`;
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

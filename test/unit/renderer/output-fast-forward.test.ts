import { describe, expect, it } from 'vitest';
import { fastForward, xtermSkipView } from '../../../renderer/src/console/output-fast-forward';
import { TerminalSession } from '../../../renderer/src/console/terminal-session';
import serializeAddon from '@xterm/addon-serialize';
import xtermHeadless from '@xterm/headless';
import { seededRandom } from '../../support/seeded-random.js';
import { expectSame, generate } from '../../support/terminal-floods.js';
import { fakeBridge } from './fake-bridge';

type Headless = InstanceType<typeof xtermHeadless.Terminal>;
const encoder = new TextEncoder();

/** A headless xterm: the same core as the page's, without a DOM. */
const freshTerminal = (cols: number, rows: number, scrollback: number): Headless => new xtermHeadless.Terminal({ cols, rows, scrollback, allowProposedApi: true });
const writeAsync = (term: Headless, data: string) => new Promise<void>((resolve) => term.write(data, resolve));

/** The terminal's rows, scrollback included, as escape sequences (what an attach would replay). */
function serialize(term: Headless): string {
  const addon = new serializeAddon.SerializeAddon();
  term.loadAddon(addon as unknown as Parameters<Headless['loadAddon']>[0]);
  const data = addon.serialize();
  addon.dispose();
  return data;
}

/** Length as a string of UTF-8 bytes cut anywhere (what the daemon counts, summed over the chunks). */
function chars(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  return n;
}

/** A console session writing into a headless xterm (the same core as the page's), and its skips. */
async function consoleOn(term: Headless, cols: number, rows: number) {
  const { bridge, push, acked } = fakeBridge({ seq: 0, cols, rows, data: '' });
  const session = new TerminalSession(
    bridge,
    'Alice',
    { reset: () => term.reset(), resize: (c, r) => term.resize(c, r), write: (data, parsed) => term.write(data, parsed), skipView: () => xtermSkipView(term) },
    () => undefined,
  );
  await session.attach();
  const settled = async () => {
    while (!session.settled) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { session, push, acked, settled };
}

const shown = (term: Headless) => `${term.buffer.active.cursorX},${term.buffer.active.cursorY},${term.buffer.active.type}\n${serialize(term)}`;

describe('console fast-forward', () => {
  it('leaves the terminal exactly as a full parse does, over many random floods cut anywhere', async () => {
    const cases = 40;
    let skippedCases = 0;
    for (let seed = 1; seed <= cases; seed++) {
      const flood = generate(seed);
      const rand = seededRandom(seed * 7919);
      const fast = freshTerminal(flood.cols, flood.rows, flood.scrollback);
      const full = freshTerminal(flood.cols, flood.rows, flood.scrollback);
      const page = await consoleOn(fast, flood.cols, flood.rows);
      try {
        const stream = encoder.encode(flood.ops.map((op) => ('data' in op ? op.data : '')).join(''));
        // Bytes cut anywhere (inside UTF-8 sequences and escape sequences too), in bursts that
        // arrive while xterm is still parsing the last write.
        let seq = 0;
        for (let at = 0; at < stream.length; ) {
          const burst = 1 + Math.floor(rand() * 40);
          for (let i = 0; i < burst && at < stream.length; i++) {
            const piece = stream.subarray(at, at + 1 + Math.floor(rand() * (rand() < 0.3 ? 40 : 30_000)));
            at += piece.length;
            page.push(++seq, piece, chars(piece));
            full.write(piece);
          }
          if (rand() < 0.2) {
            // A read, as an attach or a look at the screen would: both exact at the same point.
            await page.settled();
            await writeAsync(full, '');
            expectSame(shown(fast), shown(full));
          } else await new Promise((resolve) => setTimeout(resolve, rand() < 0.5 ? 0 : 2));
        }
        await page.settled();
        await writeAsync(full, '');
        expectSame(shown(fast), shown(full));
        // Every character is acknowledged once, skipped or parsed.
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect(page.acked()).toBe(chars(stream));
        if (page.session.fastForwarded.skips > 0) skippedCases += 1;
      } catch (error) {
        throw new Error(`seed ${seed} (cols ${flood.cols}, rows ${flood.rows}, scrollback ${flood.scrollback}): ${(error as Error).message}`, { cause: error });
      } finally {
        page.session.dispose();
        fast.dispose();
        full.dispose();
      }
    }
    // Only worth something if many floods were actually fast-forwarded.
    expect(skippedCases).toBeGreaterThan(cases / 4);
  }, 600_000);

  it('skips most of a plain flood that arrives faster than xterm parses, and shows its last lines', async () => {
    const term = freshTerminal(100, 30, 1_000);
    const page = await consoleOn(term, 100, 30);
    let text = '';
    for (let n = 1; n <= 50_000; n++) text += `L${String(n).padStart(6, '0')} ${'x'.repeat(90)}\r\n`;
    const bytes = encoder.encode(text);
    let seq = 0;
    for (let at = 0; at < bytes.length; at += 65_536) page.push(++seq, bytes.subarray(at, at + 65_536), Math.min(65_536, bytes.length - at));
    await page.settled();
    expect(page.session.fastForwarded.bytes).toBeGreaterThan(bytes.length * 0.8);
    const buffer = term.buffer.active;
    expect(buffer.getLine(buffer.baseY + 28)?.translateToString(true)).toBe(`L050000 ${'x'.repeat(90)}`);
    // The oldest line kept is the scrollback's first: 1,000 + 29 rows back from the last.
    expect(buffer.getLine(0)?.translateToString(true)).toBe(`L048972 ${'x'.repeat(90)}`);
    page.session.dispose();
    term.dispose();
  });

  it('pushes everything older out even in a tall terminal whose cursor is near the top', async () => {
    // 100 rows and a short scrollback: the rows the cursor moves down before the screen scrolls count too.
    const fast = freshTerminal(40, 100, 50);
    const full = freshTerminal(40, 100, 50);
    const page = await consoleOn(fast, 40, 100);
    const first = encoder.encode('the first line\r\n');
    let text = '';
    for (let n = 1; n <= 3_000; n++) text += `row ${n}\r\n`;
    const flood = encoder.encode(text);
    page.push(1, first, first.length);
    full.write(first);
    for (let at = 0, seq = 2; at < flood.length; at += 4_096, seq++) {
      page.push(seq, flood.subarray(at, at + 4_096), Math.min(4_096, flood.length - at));
      full.write(flood.subarray(at, at + 4_096));
    }
    await page.settled();
    await writeAsync(full, '');
    expect(page.session.fastForwarded.skips).toBeGreaterThan(0);
    expectSame(shown(fast), shown(full));
    page.session.dispose();
    fast.dispose();
    full.dispose();
  });

  it('does not skip what a full-screen program draws, or output with a scroll region', () => {
    let lines = '';
    for (let n = 0; n < 3_000; n++) lines += `line ${n}\r\n`;
    const plain = encoder.encode(lines);
    expect(fastForward(plain, 100, 24)?.skippedBytes).toBeGreaterThan(0);
    // A cursor move early on stops the scan: what follows it is not counted, so no skip.
    expect(fastForward(encoder.encode('\x1b[5;1H' + lines), 100, 24)).toBeUndefined();
    // A C1 control (NEL as UTF-8) likewise.
    expect(fastForward(encoder.encode('a\u0085' + lines), 100, 24)).toBeUndefined();
    // xterm in the alternate screen or with a scroll region: no view, so the session never skips.
    const term = freshTerminal(80, 24, 100);
    return new Promise<void>((resolve) => {
      term.write('\x1b[?1049h', () => {
        expect(xtermSkipView(term)).toBeUndefined();
        term.write('\x1b[?1049l\x1b[3;10r', () => {
          expect(xtermSkipView(term)).toBeUndefined();
          term.write('\x1b[r', () => {
            expect(xtermSkipView(term)).toEqual({ scrollback: 100, rows: 24 });
            term.dispose();
            resolve();
          });
        });
      });
    });
  });

  it('replays the pen at the end of what it skips, and does not skip when that replay would be long', () => {
    let text = '';
    for (let n = 0; n < 2_000; n++) text += `\x1b[0;1;3${n % 8}mline ${n}\x1b[4${n % 8}m\r\n`;
    const skip = fastForward(encoder.encode(text), 100, 24);
    expect(skip).toBeDefined();
    // The skip ends after a whole line; its pen is that line's two sequences (the first resets).
    const skipped = new TextDecoder().decode(encoder.encode(text).subarray(0, skip?.skippedBytes));
    // eslint-disable-next-line no-control-regex -- the sequences are what it reads
    const lastLine = Number(/line (\d+)\x1b\[4\dm\r\n$/.exec(skipped)?.[1]);
    expect(new TextDecoder().decode(skip?.replay)).toBe(`\r\x1b[0;1;3${lastLine % 8}m\x1b[4${lastLine % 8}m`);
    // Colours never reset: the replay would be every sequence skipped, longer than an eighth of it.
    let unreset = '';
    for (let n = 0; n < 2_000; n++) unreset += `\x1b[3${n % 8}mx\x1b[4${n % 8}m\r\n`;
    expect(fastForward(encoder.encode(unreset), 100, 24)).toBeUndefined();
  });
});

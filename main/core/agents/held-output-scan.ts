/**
 * The mirror's fast-forward reads held output before xterm parses it: what of it is "simple" (see
 * HeldOutputScan), where its line feeds are, and whether xterm's state allows skipping (see
 * TerminalMirror in terminal-mirror.ts for the rule).
 */
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import { upperBound } from '../base/sorted.js';

/** Longest SGR sequence the scanner follows across chunks. */
export const MAX_SGR_CHARS = 64;

/**
 * What is known of the held output from the parse position on: it is "simple" up to `blocked`
 * (printable text, CR, LF, TAB, BS and SGR sequences only), with the line feeds and SGR sequences
 * in it. Positions are in the agent's output stream (characters since the mirror opened).
 */
export class HeldOutputScan {
  /** Scanned up to here (a partial SGR sequence at the end of the held text is not). */
  pos = 0;
  /** First non-simple position, or -1. */
  blocked = -1;
  /** After each LF: its end position, and whether a CR came just before it. */
  lfEnd: number[] = [];
  lfAfterCr: boolean[] = [];
  prevCr = false;
  /** Start of the last SGR sequence scanned, or -1. */
  lastSgr = -1;

  restart(pos: number): void {
    this.pos = pos;
    this.blocked = -1;
    this.lfEnd = [];
    this.lfAfterCr = [];
    this.prevCr = false;
  }

  /** Drops what lies before `pos` (now parsed or skipped). */
  dropBefore(pos: number): void {
    const lf = upperBound(this.lfEnd, pos);
    if (lf > 0) {
      this.lfEnd.splice(0, lf);
      this.lfAfterCr.splice(0, lf);
    }
  }

  /** Scans `text`, which starts at stream position `base` (= this.pos); stops at the first non-simple character. */
  feed(text: string, base: number): void {
    const length = text.length;
    let i = 0;
    while (i < length) {
      const at = nextControl(text, i);
      if (at === length) {
        this.prevCr = false;
        break;
      }
      if (at > i) this.prevCr = false;
      const code = text.charCodeAt(at);
      if (code === 0x0a) {
        this.lfEnd.push(base + at + 1);
        this.lfAfterCr.push(this.prevCr);
        this.prevCr = false;
        i = at + 1;
      } else if (code === 0x0d) {
        if (text.charCodeAt(at + 1) === 0x0a) {
          // CR LF, the usual end of a line: one search per line, not two.
          this.lfEnd.push(base + at + 2);
          this.lfAfterCr.push(true);
          this.prevCr = false;
          i = at + 2;
        } else {
          this.prevCr = true;
          i = at + 1;
        }
      } else if (code === 0x09 || code === 0x08) {
        this.prevCr = false;
        i = at + 1;
      } else if (code === 0x1b) {
        // ESC [ params m, params of digits ; : only.
        let j = at + 1;
        if (j < length && text.charCodeAt(j) !== 0x5b) return this.block(base + at);
        j++;
        while (j < length && j - at <= MAX_SGR_CHARS) {
          const c = text.charCodeAt(j);
          if ((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a) j++;
          else break;
        }
        if (j - at > MAX_SGR_CHARS) return this.block(base + at);
        if (j >= length) {
          // Incomplete at the end of what is held: scan it again when more comes.
          this.pos = base + at;
          return;
        }
        if (text.charCodeAt(j) !== 0x6d) return this.block(base + at);
        this.lastSgr = base + at;
        this.prevCr = false;
        i = j + 1;
      } else {
        return this.block(base + at);
      }
    }
    this.pos = base + length;
  }

  private block(pos: number): void {
    this.blocked = pos;
    this.pos = pos;
  }
}

/** Controls and C1 (and DEL): everything the scanner looks at; the rest is printable. */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** Index of the next control (C0, DEL or C1) character from `from` on, or text.length. */
function nextControl(text: string, from: number): number {
  // A regular expression scans long runs about twice as fast as a loop, but costs microseconds to
  // start: a spinner's redraw is short.
  if (text.length - from < 128) {
    for (let at = from; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return at;
    }
    return text.length;
  }
  // test() rather than exec(): no match object per line for the garbage collector.
  CONTROL.lastIndex = from;
  return CONTROL.test(text) ? CONTROL.lastIndex - 1 : text.length;
}


/** The parts of xterm's state a fast-forward depends on that its API does not show. */
interface XtermInternals {
  _core?: {
    buffer?: { scrollTop?: number; scrollBottom?: number };
    _inputHandler?: { _parser?: { currentState?: number }; _stringDecoder?: { _interim?: number } };
  };
}

/**
 * Whether xterm is in a state the skip rule allows: normal buffer, no scroll region, parser at rest,
 * no half of a UTF-16 pair pending. Read from xterm's private state; if that ever cannot be read, no.
 */
export function xtermAllowsSkip(terminal: HeadlessTerminal): boolean {
  const core = (terminal as unknown as XtermInternals)._core;
  const parser = core?._inputHandler?._parser;
  const decoder = core?._inputHandler?._stringDecoder;
  const buffer = core?.buffer;
  return (
    terminal.buffer.active.type === 'normal' &&
    parser?.currentState === 0 &&
    decoder?._interim === 0 &&
    buffer?.scrollTop === 0 &&
    buffer.scrollBottom === terminal.rows - 1
  );
}

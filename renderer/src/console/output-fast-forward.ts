/**
 * The console's fast-forward: of output that waited while xterm was busy, the part that will scroll out
 * of the whole scrollback before xterm could draw it is skipped instead of parsed. It is the rule the
 * daemon's mirror uses (main/core/agents/terminal-mirror.ts), read here from UTF-8 bytes:
 *
 * - the skipped output and the line feeds after it are "simple": printable text (UTF-8, no C1 control),
 *   CR, LF, TAB, BS and SGR sequences (ESC [ digits ; : m) — nothing that moves the cursor elsewhere,
 *   switches buffers, sets a scroll region or a mode;
 * - xterm is in the normal buffer, with no scroll region, its parser and UTF-8 decoder at rest (the
 *   caller says so: xterm has parsed everything written before);
 * - the skip ends just after a CR LF, and at least scrollback + 2 × rows + SKIP_MARGIN_LINES line feeds
 *   follow it: whatever the cursor's row, they push every row written before them out of the
 *   scrollback, as the skipped lines would have.
 *
 * In place of the skipped output goes a CR (the cursor's column after CR LF) and the SGR sequences
 * that set the pen at the skip's end. The terminal then holds exactly what a full parse leaves, byte
 * for byte in its serialized form (test/unit/renderer/output-fast-forward.test.ts). Every frame xterm
 * draws shows the terminal after some prefix of the output, as without the skip; the skipped lines
 * are the ones that would have scrolled through between two frames and out of the history.
 */

/** Line feeds beyond scrollback + 2 × rows that must follow the skipped output. */
export const SKIP_MARGIN_LINES = 64;
/** A fast-forward skips at least this many lines (fewer are not worth it). */
export const MIN_SKIP_LINES = 256;
/** Longest SGR sequence followed (as the mirror's scanner). */
const MAX_SGR_BYTES = 64;
/** Longest pen replay: this, or an eighth of the skipped bytes if more. */
const MAX_REPLAY_BYTES = 256;

export interface FastForwardResult {
  /** What to write instead: the replay (CR and the pen), then the output from the skip's end on. */
  readonly replay: Uint8Array;
  readonly rest: Uint8Array;
  /** Bytes skipped, and their length as a string (what flow control counts). */
  readonly skippedBytes: number;
  readonly skippedChars: number;
}

/**
 * Reads `data` (UTF-8, the output waiting, starting where xterm's parser is at rest) and returns the
 * skip the rule allows, or undefined if none (not enough simple lines after a CR LF boundary).
 */
export function fastForward(data: Uint8Array, scrollback: number, rows: number): FastForwardResult | undefined {
  const keep = scrollback + 2 * rows + SKIP_MARGIN_LINES;
  // Every line is at least its line feed: too short to hold keep + MIN_SKIP_LINES lines.
  if (data.length < keep + MIN_SKIP_LINES) return undefined;
  const scan = scanSimple(data);
  const lines = scan.lfEnd.length;
  let last = lines - keep - 1;
  while (last >= 0 && !scan.afterCr[last]) last--;
  if (last + 1 < MIN_SKIP_LINES) return undefined;
  const end = scan.lfEnd[last] as number;
  const pen = penAt(data, scan.sgrStart, end, Math.max(MAX_REPLAY_BYTES, end >> 3));
  if (pen === undefined) return undefined;
  const replay = new Uint8Array(1 + pen.length);
  replay[0] = 0x0d;
  replay.set(pen, 1);
  return { replay, rest: data.subarray(end), skippedBytes: end, skippedChars: scan.wide ? stringLength(data, end) : end };
}

interface SimpleScan {
  /** After each line feed in the simple run: its end, and whether a CR came just before it. */
  lfEnd: number[];
  afterCr: boolean[];
  /** Starts of the SGR sequences in the simple run. */
  sgrStart: number[];
  /** Whether any byte ≥ 0x80 was seen (string length then differs from byte length). */
  wide: boolean;
}

/** Scans from the start until the first byte that is not simple (or a sequence cut by the end). */
function scanSimple(data: Uint8Array): SimpleScan {
  const lfEnd: number[] = [];
  const afterCr: boolean[] = [];
  const sgrStart: number[] = [];
  let wide = false;
  const length = data.length;
  let prevCr = false;
  let i = 0;
  while (i < length) {
    const b = data[i] as number;
    if (b >= 0x20 && b < 0x7f) {
      prevCr = false;
      i++;
    } else if (b === 0x0a) {
      lfEnd.push(i + 1);
      afterCr.push(prevCr);
      prevCr = false;
      i++;
    } else if (b === 0x0d) {
      prevCr = true;
      i++;
    } else if (b >= 0x80) {
      // C1 controls arrive as C2 80–9F; C0/C1 lead bytes are overlong forms: not simple.
      if (b === 0xc2 && i + 1 < length && (data[i + 1] as number) < 0xa0) break;
      if (b === 0xc2 && i + 1 >= length) break;
      if (b === 0xc0 || b === 0xc1) break;
      wide = true;
      prevCr = false;
      i++;
    } else if (b === 0x09 || b === 0x08) {
      prevCr = false;
      i++;
    } else if (b === 0x1b) {
      let j = i + 1;
      if (j >= length || data[j] !== 0x5b) break;
      j++;
      while (j < length && j - i <= MAX_SGR_BYTES) {
        const c = data[j] as number;
        if ((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a) j++;
        else break;
      }
      if (j >= length || j - i > MAX_SGR_BYTES || data[j] !== 0x6d) break;
      sgrStart.push(i);
      prevCr = false;
      i = j + 1;
    } else {
      break;
    }
  }
  return { lfEnd, afterCr, sgrStart, wide };
}

/**
 * The SGR sequences that set the pen at `end`: those from the last full reset (ESC[m, ESC[0m,
 * ESC[0;…m) before it on, or all before it, on top of xterm's pen, if none reset it. undefined if
 * longer than maxBytes.
 */
function penAt(data: Uint8Array, sgrStart: readonly number[], end: number, maxBytes: number): Uint8Array | undefined {
  let count = 0;
  while (count < sgrStart.length && (sgrStart[count] as number) < end) count++;
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (let k = count - 1; k >= 0; k--) {
    const start = sgrStart[k] as number;
    const stop = data.indexOf(0x6d, start) + 1;
    const sequence = data.subarray(start, stop);
    parts.push(sequence);
    bytes += sequence.length;
    if (bytes > maxBytes) return undefined;
    if (isReset(sequence)) break;
  }
  const pen = new Uint8Array(bytes);
  let at = 0;
  for (let k = parts.length - 1; k >= 0; k--) {
    const part = parts[k] as Uint8Array;
    pen.set(part, at);
    at += part.length;
  }
  return pen;
}

/** ESC [ m, ESC [ 0 m, ESC [ 0 ; … m. */
function isReset(sequence: Uint8Array): boolean {
  const params = sequence.length - 3;
  return params === 0 || (sequence[2] === 0x30 && (params === 1 || sequence[3] === 0x3b));
}

/** Length as a string of the first `end` bytes of valid UTF-8: one per sequence, two for a 4-byte one. */
function stringLength(data: Uint8Array, end: number): number {
  let chars = 0;
  for (let i = 0; i < end; i++) {
    const b = data[i] as number;
    if ((b & 0xc0) !== 0x80) chars += b >= 0xf0 ? 2 : 1;
  }
  return chars;
}

/** The parts of xterm's state a fast-forward depends on that its API does not show. */
interface XtermInternals {
  _core?: {
    buffer?: { scrollTop?: number; scrollBottom?: number };
    _inputHandler?: { _parser?: { currentState?: number }; _stringDecoder?: { _interim?: number }; _utf8Decoder?: { interim?: Uint8Array } };
  };
}

/** What of an xterm Terminal the check reads through its API. */
export interface XtermLike {
  readonly rows: number;
  readonly buffer: { readonly active: { readonly type: string } };
  readonly options: { readonly scrollback?: number };
}

/**
 * The scrollback and rows for a fast-forward, if xterm's state allows one: normal buffer, no scroll
 * region, parser at rest, nothing half-decoded (of UTF-16 or UTF-8). Read from xterm's private state,
 * as the daemon's mirror does; if that ever cannot be read, no skip.
 */
export function xtermSkipView(terminal: XtermLike): { scrollback: number; rows: number } | undefined {
  const core = (terminal as unknown as XtermInternals)._core;
  const input = core?._inputHandler;
  const buffer = core?.buffer;
  const allowed =
    terminal.buffer.active.type === 'normal' &&
    input?._parser?.currentState === 0 &&
    input._stringDecoder?._interim === 0 &&
    input._utf8Decoder?.interim?.[0] === 0 &&
    buffer?.scrollTop === 0 &&
    buffer.scrollBottom === terminal.rows - 1;
  return allowed ? { scrollback: terminal.options.scrollback ?? 1000, rows: terminal.rows } : undefined;
}

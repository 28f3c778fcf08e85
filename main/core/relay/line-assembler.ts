import { EscapeScanner, type ScanEvent } from './escape-scanner.js';
import { charWidth, displayWidth, isZeroWidth } from './char-width.js';
import { AT_LINE_START, MAX_RESUME_CELLS, MAX_RESUME_CHARS, RELAY_MATERIAL, parseLineState, type LineStateV1, type ResumePoint } from './line-state.js';
import { CSI_FINALS_USED, HARMLESS_CSI, NOT_PLAIN_LINE, PRINTED_LINE, nextMarker, nextSpecial, plainLineWidth, type ChunkView } from './plain-lines.js';

export { MAX_RESUME_CELLS, type ResumePoint } from './line-state.js';

/**
 * Rebuilds the lines a terminal shows from raw output, for a reader of whole lines (the relay grammar).
 *
 * Feed it chunks (strings or bytes, split anywhere). Escape sequences are dropped; `\r` returns to
 * column 0 and overwrites, and if text was written after the last `\r` the line ends where that
 * rewrite ended (the last rewrite wins); backspace moves left; tab goes to the next multiple of 8;
 * CSI C/D/G/K/X/P/@ edit the line. A line is reported only when its line feed arrives, with the
 * virtual screen rows it covered (a line wider than the terminal covers several). Text painted by
 * absolute cursor positioning and never followed by a line feed is not reported.
 *
 * The assembler also tracks which rows are on screen, so its reader can tell a repaint from new text:
 * it reports when the cursor leaves the current line other than by a line feed, when rows are erased
 * (the cursor moved up over them, or ED 0), and when the whole screen is cleared.
 *
 * Most output holds no relay material. While its reader is quiet (see LineSink.quiet), whole lines of
 * plain text (printable ASCII, carriage returns, and CSI sequences that neither move the cursor nor
 * edit, such as colours) that contain neither `->relay:` nor a fence marker are only counted: the rows
 * they cover are added without a scan, a string or an event per line. What is left is the same as
 * after a full scan, line for line (test/unit/relay/line-assembler-skip.test.ts compares them).
 */

/** What the assembler tells its reader, in the order things happen on the terminal. */
export interface LineSink {
  /** A line ended with a line feed; it covered virtual rows `row` to `endRow`. */
  line(text: string, row: number, endRow: number): void;
  /** The cursor is about to leave the current line other than by a line feed (or the size changes). */
  interrupt(): void;
  /** Rows from `fromRow` down were erased or will be repainted. */
  erased(fromRow: number): void;
  /** The whole screen was cleared (ED 2/3, RIS). */
  cleared(): void;
  /** The first row on screen is now `screenTop`: rows above it can no longer be repainted. */
  scrolled(screenTop: number): void;
  /**
   * True while the reader wants a line that reads exactly `>>>` as soon as it is printed (a block's
   * end), without waiting for its line feed.
   */
  wantsCloser(): boolean;
  /** The current line reads `>>>` (asked for by wantsCloser); it is consumed and not reported again. */
  closer(row: number): void;
  /**
   * True while a line holding neither `->relay:` nor ``` nor ~~~ would change nothing for the reader
   * (nothing held, no block open): the assembler may then count such lines instead of reporting them.
   */
  quiet?(): boolean;
}


export interface LineAssemblerOptions {
  /** Count quiet plain lines instead of scanning them (default true; false scans every character). */
  readonly skipPlainLines?: boolean;
}



export class LineAssembler {
  private cols_: number;
  private rows_: number;

  private readonly scanner = new EscapeScanner();
  private readonly decoder = new TextDecoder('utf-8');
  private cells: string[] = [];
  /**
   * Printable ASCII appended at the end of the line and not yet split into cells: the common case
   * (plain text written left to right) costs one string append, not a cell per character.
   */
  private tail = '';
  private col = 0;
  private crSeen = false;
  private printedSinceCr = false;
  private rewriteEnd = 0;
  private lineConsumed = false;

  private row = 0;
  private maxRow = 0;
  private screenTop = 0;
  private savedRow = 0;
  private savedCol = 0;
  private altScreen: { row: number; maxRow: number; screenTop: number } | null = null;

  private readonly onEvent = (event: ScanEvent): void => this.handle(event);

  private readonly skipPlainLines: boolean;
  /** Per chunk: skipLines' view of it and where it found things (see ChunkView). */
  private readonly found: ChunkView = { view: undefined, same: true, rawAt: 0, viewAt: 0, marker: -1, special: -1 };
  private skipped = 0;

  constructor(
    private readonly sink: LineSink,
    cols = 80,
    rows = 24,
    options: LineAssemblerOptions = {},
  ) {
    this.cols_ = Math.max(1, cols);
    this.rows_ = Math.max(1, rows);
    this.skipPlainLines = (options.skipPlainLines ?? true) && sink.quiet !== undefined;
  }

  /** How many lines were counted without a scan so far (for tests and benchmarks). */
  get linesSkipped(): number {
    return this.skipped;
  }

  /** Where the cursor is in virtual rows, and the screen's first row (for tests comparing assemblers). */
  get position(): { row: number; maxRow: number; screenTop: number; col: number } {
    return { row: this.row, maxRow: this.maxRow, screenTop: this.screenTop, col: this.col };
  }

  get cols(): number {
    return this.cols_;
  }

  get rows(): number {
    return this.rows_;
  }

  /** Feeds a chunk of output. */
  push(chunk: string | Uint8Array): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    // No line feed, no whole line to count (a spinner's redraw): straight to the scan.
    if (!this.skipPlainLines || !text.includes('\n')) {
      this.scanner.scan(text, this.onEvent);
      return;
    }
    const length = text.length;
    const found = this.found;
    found.view = undefined;
    let at = 0;
    while (at < length) {
      if (this.atLineStart() && this.sink.quiet?.()) {
        at = this.skipLines(text, at, found);
        if (at >= length) return;
      }
      // One line the full way: up to and including its line feed.
      const lf = text.indexOf('\n', at);
      const end = lf < 0 ? length : lf + 1;
      this.scanner.scan(text, this.onEvent, at, end);
      at = end;
    }
  }

  /**
   * The line under way holds nothing a relay line or a fence could start with (no '-', '>', '`' or '~'
   * so far) and no escape sequence is under way: reading on from here without it cannot lose a message.
   */
  get lineInert(): boolean {
    return this.scanner.atRest && !RELAY_MATERIAL.test(this.tail) && !RELAY_MATERIAL.test(this.cells.join(''));
  }

  /**
   * Where a next assembler could take up after what was fed so far (see ResumePoint), or undefined
   * while it could not: an escape sequence under way, or a line that could still become a relay line,
   * a block's end or a fence, or one longer than MAX_RESUME_CELLS.
   */
  resumePoint(): ResumePoint | undefined {
    if (this.atLineStart()) return AT_LINE_START;
    if (this.lineConsumed || this.cells.length + this.tail.length > MAX_RESUME_CELLS || !this.lineInert) return undefined;
    const top = this.screenTop;
    const onScreen = (row: number) => Math.max(0, Math.min(row - top, this.rows_ - 1));
    const state: LineStateV1 = {
      v: 1,
      cells: this.tail === '' ? this.cells.slice() : [...this.cells, ...this.tail],
      col: this.col,
      row: onScreen(this.row),
      max: onScreen(this.maxRow),
      saved: [onScreen(this.savedRow), this.savedCol],
    };
    if (this.crSeen) state.cr = { printed: this.printedSinceCr, end: this.rewriteEnd };
    if (this.altScreen) {
      const main = this.altScreen;
      state.alt = [main.row - main.screenTop, main.maxRow - main.screenTop];
    }
    const line = JSON.stringify(state);
    return line.length <= MAX_RESUME_CHARS ? { line } : undefined;
  }

  /**
   * Takes up a line another assembler described (ResumePoint.line) before anything is fed: the output
   * that follows is read as the rest of that line. False, and nothing changes, when the state is not
   * one this version reads or the assembler has already been fed; reading then starts at a line start.
   */
  resumeLine(line: string): boolean {
    if (!this.atLineStart() || this.maxRow !== 0 || this.altScreen) return false;
    const state = parseLineState(line, this.rows_);
    if (!state) return false;
    if (state.alt) {
      const [row, maxRow] = state.alt;
      this.altScreen = { row, maxRow, screenTop: 0 };
      this.screenTop = maxRow + 1;
    }
    const top = this.screenTop;
    this.cells = state.cells;
    this.col = state.col;
    this.row = top + state.row;
    this.maxRow = top + state.max;
    this.savedRow = top + state.saved[0];
    this.savedCol = state.saved[1];
    if (state.cr) {
      this.crSeen = true;
      this.printedSinceCr = state.cr.printed;
      this.rewriteEnd = state.cr.end;
    }
    return true;
  }

  /** Nothing of a line built yet and no escape sequence under way: a line starts afresh here. */
  private atLineStart(): boolean {
    return this.col === 0 && this.cells.length === 0 && this.tail === '' && !this.crSeen && !this.lineConsumed && this.scanner.atRest;
  }

  /**
   * Counts the whole lines from `from` on that a quiet reader would ignore, and moves the cursor down
   * the rows they cover; returns where the first line it did not count starts.
   *
   * The lines are read in a view of the chunk without its harmless CSI sequences (colours), made once
   * per chunk: no such sequence holds a line feed, so the view has the chunk's lines, one for one, and
   * each reads as the assembler would build it (or still holds an ESC, and is not counted).
   */
  private skipLines(text: string, from: number, found: ChunkView): number {
    if (found.view === undefined) {
      found.view = text.includes('\x1b', from) ? text.slice(from).replace(HARMLESS_CSI, '') : text;
      found.same = found.view === text;
      found.rawAt = from;
      found.viewAt = found.same ? from : 0;
      found.marker = -1;
      found.special = -1;
    }
    const view = found.view;
    if (found.same) {
      found.viewAt = from;
    } else {
      // The slow path read whole lines since: step over as many in the view.
      for (let at = found.rawAt; at < from; ) {
        const lf = text.indexOf('\n', at);
        if (lf < 0 || lf >= from) break;
        found.viewAt = view.indexOf('\n', found.viewAt) + 1;
        at = lf + 1;
      }
      found.rawAt = from;
    }
    const begin = found.viewAt;
    // Where the next marker and the next special character are, found once per chunk (not per line).
    if (found.marker < begin) found.marker = nextMarker(view, begin);
    if (found.special < begin) found.special = nextSpecial(view, begin);
    const marker = found.marker;
    let special = found.special;
    const cols = this.cols_;
    let at = begin;
    let rows = 0;
    let lines = 0;
    for (;;) {
      const lf = view.indexOf('\n', at);
      if (lf < 0 || marker < lf) break;
      let width: number;
      if (special < lf) {
        // Past plain ASCII: countable if it is printable text written left to right (no control and
        // no carriage return but at its end, no half of a surrogate pair).
        const line = view.slice(at, lf);
        if (!NOT_PLAIN_LINE.test(line)) {
          width = plainLineWidth(line, 0, line.length);
        } else if (PRINTED_LINE.test(line)) {
          // What the assembler builds: the characters as printed, trailing whitespace dropped.
          const shown = line.trimEnd();
          width = shown.length * 2 <= cols ? 0 : displayWidth(shown);
        } else {
          break;
        }
        special = nextSpecial(view, lf + 1);
      } else {
        // A line no wider than the terminal covers one row, whatever carriage returns did to it.
        width = lf - at <= cols ? 0 : plainLineWidth(view, at, lf);
      }
      rows += width <= cols ? 1 : Math.ceil(width / cols);
      lines += 1;
      at = lf + 1;
    }
    found.special = special;
    found.viewAt = at;
    this.skipped += lines;
    if (rows > 0) {
      this.row += rows;
      this.advanceMax();
    }
    if (found.same) return at;
    let rawAt = from;
    for (let n = 0; n < lines; n++) rawAt = text.indexOf('\n', rawAt) + 1;
    found.rawAt = rawAt;
    return rawAt;
  }

  /** New terminal size; the reader is interrupted first (a held line was wrapped at the old width). */
  resize(cols: number, rows?: number): void {
    this.sink.interrupt();
    this.cols_ = Math.max(1, cols);
    if (rows !== undefined) this.rows_ = Math.max(1, rows);
  }

  private handle(event: ScanEvent): void {
    switch (event.kind) {
      case 'print':
        this.print(event.ch);
        return;
      case 'text':
        this.printAscii(event.text);
        return;
      case 'control':
        this.control(event.code);
        return;
      case 'csi':
        this.csi(event.params, event.final);
        return;
      case 'esc':
        this.escFinal(event.final);
        return;
      default: {
        const never: never = event;
        throw new Error(`unknown scan event ${JSON.stringify(never)}`);
      }
    }
  }

  private print(ch: string): void {
    if (this.lineConsumed) return;
    this.settle();
    const code = ch.codePointAt(0) ?? 0;
    if (isZeroWidth(code)) {
      const at = Math.max(0, Math.min(this.col, this.cells.length) - 1);
      if (this.cells.length > 0) this.cells[at] = (this.cells[at] ?? '') + ch;
      return;
    }
    const width = charWidth(code);
    while (this.cells.length < this.col) this.cells.push(' ');
    this.cells[this.col] = ch;
    if (width === 2) this.cells[this.col + 1] = '';
    this.col += width;
    if (this.crSeen) {
      this.printedSinceCr = true;
      this.rewriteEnd = Math.max(this.rewriteEnd, this.col);
    }
    if (ch === '>') this.checkCloser();
  }

  /** print() for a run of printable ASCII: one cell each, no width lookups. */
  private printAscii(text: string): void {
    if (this.lineConsumed) return;
    if (!this.crSeen && this.col === this.cells.length + this.tail.length && !(text.includes('>') && this.sink.wantsCloser())) {
      this.tail += text;
      this.col += text.length;
      return;
    }
    this.settle();
    for (let i = 0; i < text.length; i++) {
      if (this.lineConsumed) return;
      const ch = text[i] as string;
      while (this.cells.length < this.col) this.cells.push(' ');
      this.cells[this.col] = ch;
      this.col += 1;
      if (this.crSeen) {
        this.printedSinceCr = true;
        this.rewriteEnd = Math.max(this.rewriteEnd, this.col);
      }
      if (ch === '>') this.checkCloser();
    }
  }

  /** Moves the tail into cells, before anything that edits the line other than appending. */
  private settle(): void {
    const tail = this.tail;
    if (tail === '') return;
    this.tail = '';
    for (let i = 0; i < tail.length; i++) this.cells.push(tail[i] as string);
  }

  private checkCloser(): void {
    if (this.sink.wantsCloser() && this.lineText().trim() === '>>>') {
      this.sink.closer(this.row);
      this.lineConsumed = true;
    }
  }

  private control(code: number): void {
    switch (code) {
      case 0x0a:
      case 0x0b:
      case 0x0c:
        this.lineFeed();
        return;
      case 0x0d:
        // A rewrite that ended before the old text did replaced the line: drop the old tail now.
        if (this.printedSinceCr) this.cells.length = Math.min(this.cells.length, this.rewriteEnd);
        this.col = 0;
        this.crSeen = true;
        this.printedSinceCr = false;
        this.rewriteEnd = 0;
        return;
      case 0x08:
        this.col = Math.max(0, this.col - 1);
        return;
      case 0x09:
        this.col = Math.min(this.col + 8 - (this.col % 8), Math.max(this.cols_ - 1, this.col));
        return;
      default:
        return;
    }
  }

  private csi(params: string, final: string): void {
    // Colours (SGR) and every other sequence that neither moves the cursor nor edits: nothing to do.
    if (!CSI_FINALS_USED.includes(final)) return;
    const priv = /^[?<=>]/.test(params);
    const nums = (priv ? params.slice(1) : params).split(';').map((part) => {
      const n = Number.parseInt(part.split(':')[0] ?? '', 10);
      return Number.isFinite(n) ? n : 0;
    });
    const n = Math.max(1, nums[0] ?? 0);
    if (final === 'K' || final === 'J' || final === 'X' || final === 'P' || final === '@') this.settle();
    if (priv) {
      if ((final === 'h' || final === 'l') && nums.some((m) => m === 1049 || m === 1047 || m === 47)) {
        this.switchScreen(final === 'h');
      }
      return;
    }
    switch (final) {
      case 'A':
        this.moveToRow(this.row - n);
        return;
      case 'B':
        this.moveToRow(this.row + n);
        return;
      case 'E':
        this.moveToRow(this.row + n);
        this.col = 0;
        return;
      case 'F':
        this.moveToRow(this.row - n);
        this.col = 0;
        return;
      case 'H':
      case 'f':
        this.moveToRow(this.screenTop + Math.max(1, nums[0] ?? 1) - 1);
        this.col = Math.max(1, nums[1] ?? 1) - 1;
        return;
      case 'd':
        this.moveToRow(this.screenTop + n - 1);
        return;
      case 'G':
      case '`':
        this.col = n - 1;
        return;
      case 'C':
        this.col += n;
        return;
      case 'D':
        this.col = Math.max(0, this.col - n);
        return;
      case 'K':
        this.eraseInLine(nums[0] ?? 0);
        return;
      case 'J':
        this.eraseInDisplay(nums[0] ?? 0);
        return;
      case 'X':
        for (let i = this.col; i < Math.min(this.cells.length, this.col + n); i++) this.cells[i] = ' ';
        return;
      case 'P':
        this.cells.splice(this.col, n);
        return;
      case '@':
        if (this.col < this.cells.length) this.cells.splice(this.col, 0, ...Array<string>(n).fill(' '));
        return;
      case 's':
        this.savedRow = this.row;
        this.savedCol = this.col;
        return;
      case 'u':
        this.moveToRow(this.savedRow);
        this.col = this.savedCol;
        return;
      default:
        return;
    }
  }

  private escFinal(final: string): void {
    switch (final) {
      case '7':
        this.savedRow = this.row;
        this.savedCol = this.col;
        return;
      case '8':
        this.moveToRow(this.savedRow);
        this.col = this.savedCol;
        return;
      case 'M':
        this.moveToRow(this.row - 1);
        return;
      case 'D':
      case 'E':
        this.lineFeed();
        return;
      case 'c':
        this.sink.cleared();
        this.moveToRow(this.screenTop);
        this.col = 0;
        return;
      default:
        return;
    }
  }

  private eraseInLine(mode: number): void {
    if (mode === 0) this.cells.length = Math.min(this.cells.length, this.col);
    else if (mode === 1) for (let i = 0; i <= Math.min(this.col, this.cells.length - 1); i++) this.cells[i] = ' ';
    else this.cells = [];
    if (mode !== 1) this.rewriteEnd = Math.min(this.rewriteEnd, this.col);
  }

  private eraseInDisplay(mode: number): void {
    if (mode === 0) {
      this.eraseInLine(0);
      this.sink.erased(this.row + 1);
    } else if (mode === 1) {
      this.eraseInLine(1);
    } else {
      this.cells = [];
      this.sink.cleared();
    }
  }

  private switchScreen(enter: boolean): void {
    this.sink.interrupt();
    this.resetLine();
    if (enter && !this.altScreen) {
      this.altScreen = { row: this.row, maxRow: this.maxRow, screenTop: this.screenTop };
      this.screenTop = this.maxRow + 1;
      this.row = this.screenTop;
      this.maxRow = this.row;
    } else if (!enter && this.altScreen) {
      // The alternate screen's lines vanish with it; the main screen comes back unchanged.
      this.sink.erased(this.screenTop);
      this.row = this.altScreen.row;
      this.maxRow = Math.max(this.maxRow, this.altScreen.maxRow);
      this.screenTop = this.altScreen.screenTop;
      this.altScreen = null;
    }
  }

  private moveToRow(target: number): void {
    const clamped = Math.max(this.screenTop, Math.min(target, this.screenTop + this.rows_ - 1));
    if (clamped === this.row) return;
    this.sink.interrupt();
    this.resetLine();
    if (clamped < this.row) this.sink.erased(clamped);
    this.row = clamped;
    this.advanceMax();
  }

  private lineFeed(): void {
    const consumed = this.lineConsumed;
    const text = this.lineText();
    // A character takes at most two columns: a short line needs no width count.
    const used = text.length * 2 <= this.cols_ ? 1 : Math.max(1, Math.ceil(displayWidth(text) / this.cols_));
    const row = this.row;
    this.resetLine();
    this.row += used;
    this.advanceMax();
    if (!consumed) this.sink.line(text, row, row + used - 1);
  }

  private advanceMax(): void {
    if (this.row > this.maxRow) this.maxRow = this.row;
    if (!this.altScreen) this.screenTop = Math.max(this.screenTop, this.maxRow - this.rows_ + 1);
    this.sink.scrolled(this.screenTop);
  }

  private resetLine(): void {
    this.cells = [];
    this.tail = '';
    this.col = 0;
    this.crSeen = false;
    this.printedSinceCr = false;
    this.rewriteEnd = 0;
    this.lineConsumed = false;
  }

  private lineText(): string {
    // After a rewrite (printedSinceCr) the tail is settled: printing after a \r goes cell by cell.
    if (this.printedSinceCr) return this.cells.slice(0, this.rewriteEnd).join('').trimEnd();
    return (this.cells.length === 0 ? this.tail : this.cells.join('') + this.tail).trimEnd();
  }
}

import zlib from 'node:zlib';
import type { IMarker, Terminal as HeadlessTerminal } from '@xterm/headless';
import serializeAddon, { type SerializeAddon } from '@xterm/addon-serialize';

/** Lines per cached block of scrollback. */
const BLOCK_LINES = 1_000;
/** Lines per archived block (archive mode: see SnapshotSerializer). */
const ARCHIVE_BLOCK_LINES = 250;
/** Scrollback lines above the screen that are always serialized afresh with the screen. */
const TAIL_LINES = 100;
/** The mirror writes output into xterm in pieces of at most this many characters (see archive()). */
export const PIECE_CHARS = 256;
/**
 * Scrollback rows the mirror's xterm keeps when the archive holds the rest: an archive block, the
 * tail and the rows one piece can scroll (a character scrolls at most one row, but for REP), with room.
 */
export const LIVE_SCROLLBACK = 800;

/** Serialized rows that xterm no longer needs to hold. */
interface Archived {
  readonly lines: number;
  /** The serialized rows, deflated (a 10,000-line scrollback is ~1 MB of text, ~10× less so). */
  readonly data: Uint8Array;
  /** Serialized as the first rows a console writes (from the top of an empty screen), not scrolling. */
  readonly first: boolean;
}

interface Block {
  readonly start: IMarker;
  readonly end: IMarker;
  readonly lines: number;
  readonly firstText: string;
  readonly lastText: string;
  readonly data: string;
}

/**
 * Serializes the mirror like SerializeAddon.serialize(), but keeps the serialization of scrollback
 * lines in blocks: lines above the screen never change (until a resize reflows them or they are
 * trimmed), and serializing 10,000 lines from scratch costs tens of milliseconds of blocked event
 * loop, mostly garbage collection. Blocks are tied to buffer markers, which xterm moves as the
 * scrollback is trimmed and disposes when their line goes.
 */
export class SnapshotSerializer {
  private blocks: Block[] = [];
  /** Archive mode: rows above the frontier, oldest first, as serialized text. */
  private archived: Archived[] = [];
  /** Archive mode: the first row (a line's start) not in the archive; xterm moves it as it trims and reflows. */
  private frontier: IMarker | undefined;

  /**
   * `scrollback` > 0 is archive mode: xterm holds only LIVE_SCROLLBACK rows (its cell buffer costs
   * ~1.5 KB per row at 120 columns) and the rows above them live here as serialized text, until the
   * rest covers `scrollback` rows on its own. archive() must run after every piece of output, so a
   * row is archived before xterm trims it; if that ever failed (the frontier marker was trimmed), the
   * archive starts again from what xterm still holds. Rows above the screen change only by trimming,
   * a reflow (the frontier moves with its line; archived lines are rewrapped by the console that
   * replays them, as xterm's reflow would), clearing the scrollback and a reset (cleared()).
   */
  constructor(
    private readonly terminal: HeadlessTerminal,
    private readonly addon: SerializeAddon,
    private readonly scrollback = 0,
  ) {
    // Rows serialized as a later part of a snapshot are written by a console that is scrolling: a row
    // break scrolls in a row filled with the pen's background (BCE). The addon assumes that only
    // after the first screenful of what it serializes, so a part serialized alone would depend on
    // where it starts. This second addon sees a terminal of 0 rows, so it assumes it from the start.
    this.scrolling = new serializeAddon.SerializeAddon();
    const scrollingTerminal = new Proxy(terminal, { get: (target, key) => (key === 'rows' ? 0 : Reflect.get(target, key)) });
    this.scrolling.activate(scrollingTerminal as unknown as Parameters<SerializeAddon['activate']>[0]);
  }

  private readonly scrolling: SerializeAddon;

  get archiving(): boolean {
    return this.scrollback > 0;
  }

  /** Scrollback lines currently kept serialized. */
  get cachedLines(): number {
    return this.blocks.reduce((sum, block) => sum + block.lines, 0) + this.archivedLines;
  }

  /** Rows kept only as serialized text. */
  get archivedLines(): number {
    return this.archived.reduce((sum, block) => sum + block.lines, 0);
  }

  /** Archive mode: archives complete blocks of rows above the tail; cheap when there is nothing to do. */
  archive(force = false): void {
    if (!this.archiving || this.terminal.buffer.active.type !== 'normal') return;
    if (this.frontier === undefined || this.frontier.isDisposed) {
      // Rows went that were never archived: start again from what xterm holds (consistent, shorter).
      if (this.frontier?.isDisposed) this.archived = [];
      this.frontier = this.marker(0);
      if (!this.frontier) return;
    }
    const buffer = this.terminal.buffer.normal;
    let next = this.frontier.line;
    const minimum = force ? 1 : ARCHIVE_BLOCK_LINES;
    if (buffer.length - this.terminal.rows - TAIL_LINES - next < minimum) return;
    const tailStart = this.tailStart();
    while (tailStart - next >= minimum) {
      let end = Math.min(tailStart - 1, next + ARCHIVE_BLOCK_LINES - 1);
      while (end + 1 < tailStart && buffer.getLine(end + 1)?.isWrapped) end++;
      // The archive's first block, from the top of the buffer, is what a console writes first.
      const first = this.archived.length === 0 && next === 0;
      const text = this.plainRange(next, end) ?? (first ? this.range(next, end) : this.scrollingRange(next, end));
      // Copied out: zlib's result is a view of its 16 KB output chunk, which it would keep alive.
      this.archived.push({ lines: end - next + 1, data: new Uint8Array(zlib.deflateRawSync(text, { level: 1 })), first });
      next = end + 1;
    }
    const frontier = this.marker(next);
    this.frontier.dispose();
    this.frontier = frontier;
    if (!frontier) {
      this.archived = [];
      return;
    }
    // Let go of the oldest blocks the rest no longer needs to cover the scrollback.
    let rows = buffer.length - this.terminal.rows - next + this.archivedLines;
    while (this.archived.length > 1 && rows - (this.archived[0] as Archived).lines >= this.scrollback) {
      rows -= (this.archived.shift() as Archived).lines;
    }
  }

  /** Archive mode: the scrollback is cleared (ED 3) or the terminal reset (RIS). */
  cleared(): void {
    this.archived = [];
    this.frontier?.dispose();
    this.frontier = undefined;
  }

  /**
   * Before a resize: archives everything above the tail, so the reflow cannot trim rows not yet
   * archived, and notes where the frontier is in logical lines above the cursor's line. xterm's
   * markers do not follow a reflow exactly, so afterResize() finds the frontier again by counting.
   */
  beforeResize(): { linesAbove: number; text: string } | undefined {
    if (!this.archiving) {
      this.invalidate();
      return undefined;
    }
    this.archive(true);
    const frontier = this.frontier;
    this.frontier = undefined;
    if (!frontier || frontier.isDisposed || this.terminal.buffer.active.type !== 'normal') {
      frontier?.dispose();
      this.archived = [];
      return undefined;
    }
    const line = frontier.line;
    frontier.dispose();
    const buffer = this.terminal.buffer.normal;
    let linesAbove = 0;
    for (let y = this.lineStart(buffer.baseY + buffer.cursorY); y > line; y--) if (!buffer.getLine(y)?.isWrapped) linesAbove++;
    return { linesAbove, text: this.logicalText(line) };
  }

  /** After a resize: the frontier again, on the same logical line; if it cannot be found, the archive goes. */
  afterResize(before: { linesAbove: number; text: string } | undefined): void {
    if (!this.archiving || !before) return;
    const buffer = this.terminal.buffer.normal;
    let y = this.lineStart(buffer.baseY + buffer.cursorY);
    for (let counted = 0; counted < before.linesAbove && y > 0; ) {
      y--;
      if (!buffer.getLine(y)?.isWrapped) counted++;
    }
    y = this.lineStart(y);
    const frontier = this.logicalText(y) === before.text ? this.marker(y) : undefined;
    if (frontier) this.frontier = frontier;
    else this.archived = [];
  }

  private lineStart(y: number): number {
    const buffer = this.terminal.buffer.normal;
    while (y > 0 && buffer.getLine(y)?.isWrapped) y--;
    return y;
  }

  private logicalText(y: number): string {
    const buffer = this.terminal.buffer.normal;
    let text = buffer.getLine(y)?.translateToString(true) ?? '';
    for (let row = y + 1; buffer.getLine(row)?.isWrapped; row++) text += buffer.getLine(row)?.translateToString(true) ?? '';
    return text;
  }

  /**
   * The serialize addon's output for rows of plain text (default colours and attributes, one cell
   * per character, no gaps, no wrapped rows): the rows' text joined by \r\n, read straight from
   * xterm's cell array, ~10× cheaper than the addon, which a flood would otherwise pay for every row.
   * undefined when any row is not that plain (the addon serializes those).
   */
  private plainRange(start: number, end: number): string | undefined {
    const buffer = this.terminal.buffer.normal;
    const rows: string[] = [];
    const codes: number[] = [];
    for (let y = start; y <= end; y++) {
      const line = buffer.getLine(y) as unknown as { isWrapped: boolean; _line?: { _data?: Uint32Array } } | undefined;
      const data = line?._line?._data;
      if (!line || !data || line.isWrapped) return undefined;
      const cells = Math.min(this.terminal.cols, data.length / 3);
      let used = cells;
      while (used > 0 && data[(used - 1) * 3] === 0) used--;
      // Blank cells after the text must be blank in the default colours too (not a background's fill).
      for (let x = used; x < cells; x++) if (data[x * 3 + 1] !== 0 || data[x * 3 + 2] !== 0) return undefined;
      codes.length = used;
      for (let x = 0; x < used; x++) {
        const content = data[x * 3] as number;
        // Width 1 (bits 22–23), not combined (bit 21), a BMP code point; default fg and bg, no flags.
        if (content >>> 21 !== 2 || (content & 0x1fffff) > 0xffff || data[x * 3 + 1] !== 0 || data[x * 3 + 2] !== 0) return undefined;
        codes[x] = content & 0xffff;
      }
      rows.push(String.fromCharCode.apply(null, codes));
    }
    return rows.join('\r\n');
  }

  private marker(line: number): IMarker | undefined {
    const buffer = this.terminal.buffer.normal;
    const marker = this.terminal.registerMarker(line - (buffer.baseY + buffer.cursorY));
    if (marker && marker.line !== line) {
      marker.dispose();
      return undefined;
    }
    return marker;
  }

  private serializeArchived(): string {
    this.archive(true);
    const next = this.frontier && !this.frontier.isDisposed ? this.frontier.line : 0;
    const tailStart = this.tailStart();
    const parts = this.archived.map((block) => zlib.inflateRawSync(block.data).toString('utf8'));
    const scrolling = this.archived.length > 0 && !(this.archived[0] as Archived).first;
    if (next < tailStart) parts.push(parts.length > 0 ? this.scrollingRange(next, tailStart - 1) : this.range(next, tailStart - 1));
    if (parts.length === 0) return this.addon.serialize();
    const buffer = this.terminal.buffer.normal;
    const tail = this.addon.serialize({ scrollback: buffer.length - this.terminal.rows - tailStart });
    return `${scrolling ? this.toBottom() : ''}${parts.join('\x1b[0m\r\n')}\x1b[0m\r\n${tail}`;
  }

  /**
   * Moves a console's cursor to the bottom row first, so every row break of the snapshot scrolls
   * (as the parts serialized for a scrolling console assume). Only where the snapshot holds at least
   * a full scrollback and screen, so the blank rows this leaves above are trimmed by the console.
   */
  private toBottom(): string {
    return this.terminal.rows > 1 ? `\x1b[${this.terminal.rows - 1}B` : '';
  }

  /** Forget every block (after a resize, which reflows the scrollback). */
  invalidate(): void {
    for (const block of this.blocks) {
      block.start.dispose();
      block.end.dispose();
    }
    this.blocks = [];
  }

  serialize(): string {
    if (this.archiving) return this.serializeArchived();
    const tailStart = this.tailStart();
    const buffer = this.terminal.buffer.normal;
    // Cached blocks are serialized for a scrolling console; only a full buffer (scrollback and
    // screen) scrolls the blank rows toBottom() leaves out of a console's scrollback.
    if (tailStart < BLOCK_LINES || buffer.length < this.terminal.rows + (this.terminal.options.scrollback ?? 0)) {
      this.invalidate();
      return this.addon.serialize();
    }
    this.dropStaleBlocks(tailStart);
    this.extendBlocks(tailStart, Number.POSITIVE_INFINITY);
    const parts: string[] = [];
    let next = 0;
    const first = this.blocks[0];
    if (first) {
      // Lines above the first block (its older neighbour was trimmed) are serialized, not cached.
      if (first.start.line > 0) parts.push(this.scrollingRange(0, first.start.line - 1));
      for (const block of this.blocks) parts.push(block.data);
      next = (this.blocks[this.blocks.length - 1] as Block).end.line + 1;
    }
    if (next < tailStart) parts.push(this.scrollingRange(next, tailStart - 1));
    const tail = this.addon.serialize({ scrollback: buffer.length - this.terminal.rows - tailStart });
    // Each range ends with the terminal's current pen; reset it so the next range starts clean.
    return `${this.toBottom()}${parts.join('\x1b[0m\r\n')}\x1b[0m\r\n${tail}`;
  }

  /**
   * Serializes at most one new block of scrollback ahead of the next snapshot (a few milliseconds);
   * returns whether more is left to do. Meant for quiet moments, so a first attach is fast too.
   */
  warmStep(): boolean {
    if (this.archiving) return false;
    const tailStart = this.tailStart();
    if (tailStart < BLOCK_LINES) return false;
    this.dropStaleBlocks(tailStart);
    return this.extendBlocks(tailStart, 1);
  }

  private tailStart(): number {
    const buffer = this.terminal.buffer.normal;
    let tailStart = Math.max(0, buffer.length - this.terminal.rows - TAIL_LINES);
    while (tailStart > 0 && buffer.getLine(tailStart)?.isWrapped) tailStart--;
    return tailStart;
  }

  /** Caches scrollback after the last block in blocks that end before a non-wrapped line; true if more remain. */
  private extendBlocks(tailStart: number, maxBlocks: number): boolean {
    const buffer = this.terminal.buffer.normal;
    const last = this.blocks[this.blocks.length - 1];
    let next = last ? last.end.line + 1 : 0;
    let made = 0;
    while (tailStart - next >= BLOCK_LINES) {
      if (made >= maxBlocks) return true;
      let end = next + BLOCK_LINES - 1;
      while (end + 1 < tailStart && buffer.getLine(end + 1)?.isWrapped) end++;
      const block = this.makeBlock(next, end);
      if (!block) return false;
      this.blocks.push(block);
      made += 1;
      next = end + 1;
    }
    return false;
  }

  private range(start: number, end: number): string {
    return this.addon.serialize({ range: { start, end }, excludeAltBuffer: true, excludeModes: true });
  }

  /** The same for rows a console writes while it scrolls (after other rows). */
  private scrollingRange(start: number, end: number): string {
    return this.scrolling.serialize({ range: { start, end }, excludeAltBuffer: true, excludeModes: true });
  }

  private lineText(line: number): string {
    return this.terminal.buffer.normal.getLine(line)?.translateToString(false) ?? '';
  }

  private makeBlock(start: number, end: number): Block | undefined {
    // Markers are placed relative to the cursor of the active buffer, which must be the normal one.
    if (this.terminal.buffer.active.type !== 'normal') return undefined;
    const cursorLine = this.terminal.buffer.normal.baseY + this.terminal.buffer.normal.cursorY;
    const startMarker = this.terminal.registerMarker(start - cursorLine);
    const endMarker = this.terminal.registerMarker(end - cursorLine);
    if (!startMarker || !endMarker || startMarker.line !== start || endMarker.line !== end) {
      startMarker?.dispose();
      endMarker?.dispose();
      return undefined;
    }
    return {
      start: startMarker,
      end: endMarker,
      lines: end - start + 1,
      firstText: this.lineText(start),
      lastText: this.lineText(end),
      data: flatten(this.scrollingRange(start, end)),
    };
  }

  /**
   * Keeps intact blocks that follow one another; a block whose first line was trimmed goes (its
   * surviving lines are serialized afresh), and so does everything after a gap.
   */
  private dropStaleBlocks(tailStart: number): void {
    const kept: Block[] = [];
    for (const block of this.blocks) {
      const previous = kept[kept.length - 1];
      const intact =
        !block.start.isDisposed &&
        !block.end.isDisposed &&
        block.end.line - block.start.line + 1 === block.lines &&
        (previous === undefined || block.start.line === previous.end.line + 1) &&
        block.end.line < tailStart &&
        // A reset or a cleared scrollback replaces lines without trimming them: check the content.
        this.lineText(block.start.line) === block.firstText &&
        this.lineText(block.end.line) === block.lastText;
      if (intact) {
        kept.push(block);
      } else {
        block.start.dispose();
        block.end.dispose();
      }
    }
    this.blocks = kept;
  }
}

/**
 * The serialize addon builds its text by appending thousands of small pieces: V8 keeps that as a tree
 * of pieces (a "cons string") several times the size of the text until something reads it whole.
 * A cached block lives long, so it is flattened into one piece at once (ToNumber makes V8 flatten it
 * in place; the result is not used). 20 agents × 10,000 lines: ~570 MB of heap → a few tens.
 */
function flatten(text: string): string {
  Number(text);
  return text;
}

import type { IMarker, Terminal as HeadlessTerminal } from '@xterm/headless';
import type { SerializeAddon } from '@xterm/addon-serialize';

/** Lines per cached block of scrollback. */
const BLOCK_LINES = 1_000;
/** Scrollback lines above the screen that are always serialized afresh with the screen. */
const TAIL_LINES = 100;

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

  constructor(
    private readonly terminal: HeadlessTerminal,
    private readonly addon: SerializeAddon,
  ) {}

  /** Scrollback lines currently kept serialized. */
  get cachedLines(): number {
    return this.blocks.reduce((sum, block) => sum + block.lines, 0);
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
    const tailStart = this.tailStart();
    if (tailStart < BLOCK_LINES) {
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
      if (first.start.line > 0) parts.push(this.range(0, first.start.line - 1));
      for (const block of this.blocks) parts.push(block.data);
      next = (this.blocks[this.blocks.length - 1] as Block).end.line + 1;
    }
    if (next < tailStart) parts.push(this.range(next, tailStart - 1));
    const buffer = this.terminal.buffer.normal;
    const tail = this.addon.serialize({ scrollback: buffer.length - this.terminal.rows - tailStart });
    // Each range ends with the terminal's current pen; reset it so the next range starts clean.
    return `${parts.join('\x1b[0m\r\n')}\x1b[0m\r\n${tail}`;
  }

  /**
   * Serializes at most one new block of scrollback ahead of the next snapshot (a few milliseconds);
   * returns whether more is left to do. Meant for quiet moments, so a first attach is fast too.
   */
  warmStep(): boolean {
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
      data: flatten(this.range(start, end)),
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

import xtermHeadless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import { ListenerSet } from './listener-set.js';
import { LIVE_SCROLLBACK, PIECE_CHARS, SnapshotSerializer } from './snapshot-serializer.js';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = serializeAddon;

/** A piece of terminal output with its position in the agent's output stream (1, 2, 3, …). */
export interface OutputChunk {
  readonly seq: number;
  readonly data: string;
}

/** What a console writes into a fresh xterm of size cols×rows to show exactly what the mirror shows. */
export interface TerminalSnapshot {
  /** The last output chunk included; the live stream continues with seq + 1. */
  readonly seq: number;
  readonly cols: number;
  readonly rows: number;
  /** Serialized screen and scrollback (escape sequences), modes included. */
  readonly data: string;
  readonly cursorX: number;
  readonly cursorY: number;
  readonly altScreen: boolean;
}

export interface TerminalMirrorOptions {
  readonly cols: number;
  readonly rows: number;
  /** Lines kept above the screen (default 10,000). */
  readonly scrollback?: number;
}

export const DEFAULT_SCROLLBACK = 10_000;
/** Quiet time after which scrollback is serialized ahead of an attach. */
const WARM_AFTER_QUIET_MS = 250;

/**
 * A headless xterm fed with an agent's output, so a console opened late gets the exact screen and
 * scrollback. xterm parses writes in time slices of its own (about 12 ms, then a timer), and chunks
 * are at most a batch long, so a flood never blocks the event loop for long.
 */
export class TerminalMirror {
  private readonly terminal: HeadlessTerminal;
  private readonly serializer: SnapshotSerializer;
  private readonly parsedListeners = new ListenerSet<OutputChunk>();
  private writtenSeq = 0;
  private parsed = 0;
  private pendingChars = 0;
  /** Writes (chunks and markers) handed to xterm whose callback has not run yet. */
  private pendingWrites = 0;
  private disposed = false;
  /** Bumped on every state change that is not a chunk (resize), so a cached snapshot can be reused safely. */
  private generation = 0;
  private cached: { seq: number; generation: number; snapshot: TerminalSnapshot } | undefined;
  private warmTimer: NodeJS.Timeout | undefined;
  /** Settles snapshot() and flush() promises whose write callbacks a dispose would strand. */
  private readonly disposeWaiters = new Set<() => void>();

  constructor(options: TerminalMirrorOptions) {
    const scrollback = options.scrollback ?? DEFAULT_SCROLLBACK;
    // A long scrollback lives mostly as serialized text (the archive); xterm keeps the last rows.
    const archive = scrollback > 2 * LIVE_SCROLLBACK;
    this.terminal = new Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: archive ? LIVE_SCROLLBACK : scrollback,
      allowProposedApi: true,
    });
    const addon = new SerializeAddon();
    // The addon is typed against @xterm/xterm; the headless Terminal has the same surface it uses.
    this.terminal.loadAddon(addon as unknown as Parameters<HeadlessTerminal['loadAddon']>[0]);
    this.serializer = new SnapshotSerializer(this.terminal, addon, archive ? scrollback : 0);
    if (archive) {
      // Clearing the scrollback (ED 3) and a full reset (RIS) drop the archive too; the hooks run
      // before xterm's own handlers (returning false lets those run).
      this.terminal.parser.registerCsiHandler({ final: 'J' }, (params) => {
        if (params[0] === 3) this.serializer.cleared();
        return false;
      });
      this.terminal.parser.registerEscHandler({ final: 'c' }, () => {
        this.serializer.cleared();
        return false;
      });
    }
  }

  /**
   * Queues a chunk for parsing; chunks must come in seq order. `firstSeq` is for several chunks
   * joined into one (firstSeq to chunk.seq): xterm parses one write of them at once.
   */
  write(chunk: OutputChunk, firstSeq = chunk.seq): void {
    if (this.disposed) return;
    if (firstSeq !== this.writtenSeq + 1 || chunk.seq < firstSeq) throw new RangeError(`mirror expected chunk ${this.writtenSeq + 1}, got ${firstSeq}`);
    this.writtenSeq = chunk.seq;
    this.cached = undefined;
    this.scheduleWarm();
    this.pendingChars += chunk.data.length;
    this.pendingWrites += 1;
    const archive = this.serializer.archiving;
    const data = chunk.data;
    // With an archive, rows must reach a block before xterm trims them: a piece scrolls at most a
    // few hundred rows, and the archive catches up after each one.
    if (archive) for (let i = 0; i + PIECE_CHARS < data.length; i += PIECE_CHARS) this.terminal.write(data.slice(i, i + PIECE_CHARS), this.archiveStep);
    const last = archive && data.length > PIECE_CHARS ? data.slice(Math.floor((data.length - 1) / PIECE_CHARS) * PIECE_CHARS) : data;
    this.terminal.write(last, () => {
      if (archive) this.archiveStep();
      this.pendingWrites -= 1;
      this.parsed = chunk.seq;
      this.pendingChars -= chunk.data.length;
      this.parsedListeners.emit(chunk);
    });
  }

  private readonly archiveStep = (): void => {
    if (!this.disposed) this.serializer.archive();
  };

  /** Called after each chunk is parsed (the mirror's acknowledgement for flow control). */
  onParsed(listener: (chunk: OutputChunk) => void): () => void {
    return this.parsedListeners.on(listener);
  }

  /** Resizes after everything written so far is parsed, so earlier output reflows as it did live. */
  resize(cols: number, rows: number): void {
    this.afterPending(() => {
      if (this.disposed) return;
      this.generation += 1;
      // Resizing reflows the scrollback, so cached blocks of it no longer match (archived rows stay).
      const frontier = this.serializer.beforeResize();
      this.terminal.resize(cols, rows);
      this.serializer.afterResize(frontier);
    });
  }

  /** The serialized state after every chunk written so far, tagged with that chunk's seq. */
  snapshot(): Promise<TerminalSnapshot> {
    const seq = this.writtenSeq;
    return new Promise((resolve, reject) => {
      const onDispose = () => reject(new Error('The terminal mirror was closed before its snapshot was taken.'));
      if (this.disposed) return onDispose();
      this.disposeWaiters.add(onDispose);
      this.afterPending(() => {
        this.disposeWaiters.delete(onDispose);
        resolve(this.snapshotNow(seq));
      });
    });
  }

  /** Resolves when everything written so far is parsed. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      if (this.disposed) return resolve();
      const done = () => {
        this.disposeWaiters.delete(done);
        resolve();
      };
      this.disposeWaiters.add(done);
      this.afterPending(done);
    });
  }

  /** The visible screen as plain text lines, as parsed so far (see flush()). */
  screenText(): string[] {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let y = buffer.baseY; y < buffer.baseY + this.terminal.rows; y++) {
      lines.push(buffer.getLine(y)?.translateToString(true) ?? '');
    }
    return lines;
  }

  /** The visible screen with lines the terminal wrapped joined back, for pattern matching. */
  logicalScreenText(): string[] {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let y = buffer.baseY; y < buffer.baseY + this.terminal.rows; y++) {
      const line = buffer.getLine(y);
      const text = line?.translateToString(true) ?? '';
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines;
  }

  get cols(): number {
    return this.terminal.cols;
  }
  get rows(): number {
    return this.terminal.rows;
  }
  /** Seq of the last chunk written. */
  get lastSeq(): number {
    return this.writtenSeq;
  }
  /** Seq of the last chunk parsed. */
  get parsedSeq(): number {
    return this.parsed;
  }
  /** Scrollback lines whose serialization is cached for the next snapshot. */
  get cachedSnapshotLines(): number {
    return this.serializer.cachedLines;
  }
  /** Scrollback rows kept only as serialized text (trimmed from the xterm buffer). */
  get archivedLines(): number {
    return this.serializer.archivedLines;
  }
  /** Characters written but not parsed yet. */
  get backlogChars(): number {
    return this.pendingChars;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const waiter of [...this.disposeWaiters]) waiter();
    this.disposeWaiters.clear();
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.parsedListeners.clear();
    this.terminal.dispose();
  }

  /** Once output has been quiet for a moment, serialize new scrollback a block per tick. */
  private scheduleWarm(): void {
    if (this.warmTimer) clearTimeout(this.warmTimer);
    this.warmTimer = setTimeout(() => {
      this.warmTimer = undefined;
      const step = () => {
        if (this.disposed || this.warmTimer || this.pendingWrites > 0) return;
        if (this.serializer.warmStep()) setImmediate(step);
      };
      this.afterPending(step);
    }, WARM_AFTER_QUIET_MS);
    this.warmTimer.unref();
  }

  private snapshotNow(seq: number): TerminalSnapshot {
    // Serializing 10,000 lines takes tens of milliseconds: reuse it while nothing has changed.
    if (this.cached && this.cached.seq === seq && this.cached.generation === this.generation) return this.cached.snapshot;
    const buffer = this.terminal.buffer.active;
    const snapshot: TerminalSnapshot = {
      seq,
      cols: this.terminal.cols,
      rows: this.terminal.rows,
      data: this.serializer.serialize(),
      cursorX: buffer.cursorX,
      cursorY: buffer.cursorY,
      altScreen: buffer.type === 'alternate',
    };
    this.cached = { seq, generation: this.generation, snapshot };
    return snapshot;
  }

  /** Runs `action` right after the last queued chunk is parsed: xterm calls write callbacks in order. */
  private afterPending(action: () => void): void {
    if (this.disposed) return;
    if (this.pendingWrites === 0) {
      action();
      return;
    }
    this.pendingWrites += 1;
    this.terminal.write('', () => {
      this.pendingWrites -= 1;
      action();
    });
  }
}

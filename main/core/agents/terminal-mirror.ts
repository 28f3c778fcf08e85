import xtermHeadless from '@xterm/headless';
import type { Terminal as HeadlessTerminal } from '@xterm/headless';
import serializeAddon from '@xterm/addon-serialize';
import { upperBound } from '../base/sorted.js';
import { HeldOutputScan, MAX_SGR_CHARS, xtermAllowsSkip } from './held-output-scan.js';
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
  /**
   * Characters of output the mirror may hold unparsed yet acknowledge (see onAccepted), waiting to
   * learn whether they scroll out of the scrollback anyway (default 2,000,000). Beyond it, the oldest
   * is parsed. The host passes its mirror watermark, so a mirror that cannot keep up still pauses the pty.
   */
  readonly holdChars?: number;
  /** Skip output that will scroll out of the whole scrollback instead of parsing it (default true). */
  readonly fastForward?: boolean;
}

export const DEFAULT_SCROLLBACK = 10_000;
export const DEFAULT_HOLD_CHARS = 2_000_000;
/**
 * Quiet time after which held output is parsed, and then scrollback serialized ahead of an attach.
 * Longer than a console's flow-control pause under load, so a flood held up by a slow console is not
 * parsed in the pauses (its held tail would then be parsed in vain); status detection reads the
 * screen after 400 ms of quiet, and every read parses what is held anyway.
 */
const QUIET_MS = 500;
/** A fast-forward skips at least this many line feeds (fewer are not worth a step). */
const MIN_SKIP_LINES = 500;
/** Line feeds beyond scrollback + 2 × rows that must follow the skipped text. */
const SKIP_MARGIN_LINES = 64;
/**
 * Longest SGR replay written in place of skipped text: this, or an eighth of the skipped text if
 * more (its SGR sequences alone parse far faster than the text); a longer one means no skip.
 */
const MAX_REPLAY_CHARS = 1_024;

interface Queued {
  readonly chunk: OutputChunk;
  /** Stream position of the chunk's first character. */
  readonly start: number;
}

interface Waiter {
  /** Runs when everything before this stream position, and nothing after it, is parsed. */
  readonly pos: number;
  readonly action: () => void;
}

/**
 * A headless xterm fed with an agent's output, so a console opened late gets the exact screen and
 * scrollback.
 *
 * Output is held before it is parsed: while it is plain text (printable, CR, LF, TAB, BS, SGR) and
 * more line feeds follow than the whole scrollback can keep, the part that will scroll out of it
 * entirely is skipped instead of parsed (fast-forward): in its place goes a CR and the SGR state
 * at the skip's end, and the lines that follow push everything older out, as the skipped lines
 * would have. A flood of 200,000 lines so parses only about the last scrollback's worth. Held
 * output is parsed when it cannot be skipped, when output is quiet for a moment, when it exceeds
 * holdChars, and before every read, which therefore waits and is exact.
 *
 * xterm parses writes in time slices of its own (about 12 ms, then a timer), so a parse never
 * blocks the event loop for long.
 */
export class TerminalMirror {
  private readonly terminal: HeadlessTerminal;
  private readonly serializer: SnapshotSerializer;
  private readonly parsedListeners = new ListenerSet<OutputChunk>();
  private readonly acceptedListeners = new ListenerSet<number>();
  private readonly scrollback: number;
  private readonly holdChars: number;
  private readonly fastForward: boolean;
  private writtenSeq = 0;
  private parsed = 0;
  /** Held chunks (from index `first` on); the stream position `head` is the next one for xterm. */
  private queue: Queued[] = [];
  private first = 0;
  private head = 0;
  private tail = 0;
  /** Stream position up to which characters were reported accepted. */
  private acceptedTo = 0;
  private readonly scan = new HeldOutputScan();
  private readonly waiters: Waiter[] = [];
  /** Quiet: everything held is parsed. */
  private draining = false;
  private pumping = false;
  /** Writes handed to xterm whose callback has not run yet. */
  private pendingWrites = 0;
  private skipped = 0;
  private skips = 0;
  private disposed = false;
  /** Bumped on every state change that is not a chunk (resize), so a cached snapshot can be reused safely. */
  private generation = 0;
  private cached: { seq: number; generation: number; snapshot: TerminalSnapshot } | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  /** When the last chunk came (performance.now()); the quiet timer re-arms itself until QUIET_MS after it. */
  private lastWriteAt = 0;
  private warming = false;
  /** Settles snapshot() and flush() promises whose write callbacks a dispose would strand. */
  private readonly disposeWaiters = new Set<() => void>();

  constructor(options: TerminalMirrorOptions) {
    const scrollback = options.scrollback ?? DEFAULT_SCROLLBACK;
    this.scrollback = scrollback;
    this.holdChars = Math.max(0, options.holdChars ?? DEFAULT_HOLD_CHARS);
    this.fastForward = options.fastForward ?? true;
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
   * Queues a chunk; chunks must come in seq order. `firstSeq` is for several chunks joined into one
   * (firstSeq to chunk.seq).
   */
  write(chunk: OutputChunk, firstSeq = chunk.seq): void {
    if (this.disposed) return;
    if (firstSeq !== this.writtenSeq + 1 || chunk.seq < firstSeq) throw new RangeError(`mirror expected chunk ${this.writtenSeq + 1}, got ${firstSeq}`);
    this.writtenSeq = chunk.seq;
    this.cached = undefined;
    this.queue.push({ chunk, start: this.tail });
    this.tail += chunk.data.length;
    this.scheduleQuiet();
    this.pump();
    this.accept();
  }

  /** Called after each chunk is parsed (or skipped), in order. */
  onParsed(listener: (chunk: OutputChunk) => void): () => void {
    return this.parsedListeners.on(listener);
  }

  /**
   * Called with a number of characters the mirror is done with for flow control: parsed, skipped,
   * or held within holdChars. Every character written is reported once.
   */
  onAccepted(listener: (chars: number) => void): () => void {
    return this.acceptedListeners.on(listener);
  }

  /** Resizes after everything written so far is parsed, so earlier output reflows as it did live. */
  resize(cols: number, rows: number): void {
    this.at(this.tail, () => {
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
      this.at(this.tail, () => {
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
      this.at(this.tail, done);
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
  /** Seq of the last chunk parsed (or skipped). */
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
  /** Characters written but not accepted yet (see onAccepted). */
  get backlogChars(): number {
    return this.tail - this.acceptedTo;
  }
  /** Characters written but not handed to xterm yet (held). */
  get heldChars(): number {
    return this.tail - this.head;
  }
  /** Characters skipped by fast-forwards, and how many fast-forwards there were. */
  get fastForwarded(): { chars: number; skips: number } {
    return { chars: this.skipped, skips: this.skips };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const waiter of [...this.disposeWaiters]) waiter();
    this.disposeWaiters.clear();
    this.waiters.length = 0;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.parsedListeners.clear();
    this.acceptedListeners.clear();
    this.queue = [];
    this.terminal.dispose();
  }

  /** Runs `action` once everything before stream position `pos`, and nothing after it, is parsed. */
  private at(pos: number, action: () => void): void {
    if (this.disposed) return;
    this.waiters.push({ pos, action });
    this.pump();
  }

  /** Output stopped for a moment: parse what is held, then serialize new scrollback a block per tick. */
  private scheduleQuiet(): void {
    // One timer per quiet period, not one per chunk: a spinner's redraw should cost next to nothing.
    this.lastWriteAt = performance.now();
    if (!this.quietTimer) this.armQuiet(QUIET_MS);
  }

  private armQuiet(ms: number): void {
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      const left = this.lastWriteAt + QUIET_MS - performance.now();
      if (left > 1) return this.armQuiet(left);
      this.draining = true;
      this.warming = true;
      this.pump();
    }, ms);
    this.quietTimer.unref();
  }

  private warm(): void {
    this.warming = false;
    const step = () => {
      if (this.disposed || this.quietTimer || this.pendingWrites > 0 || this.head !== this.tail) return;
      if (this.serializer.warmStep()) setImmediate(step);
    };
    step();
  }

  /**
   * Moves held output on while xterm is idle: runs reads due, fast-forwards, and parses what must be
   * parsed now. Called after every write, read and xterm callback.
   */
  private pump(): void {
    if (this.pumping || this.disposed) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.disposed || this.pendingWrites > 0) return;
        const waiter = this.waiters[0];
        if (waiter && waiter.pos <= this.head) {
          this.waiters.shift();
          waiter.action();
          continue;
        }
        if (this.head >= this.tail) {
          this.draining = false;
          if (this.warming) this.warm();
          return;
        }
        const limit = waiter ? waiter.pos : this.tail;
        const skip = this.fastForward ? this.trySkip(limit) : 'never';
        if (skip === 'skipped') continue;
        let to: number;
        if (waiter || this.draining || skip === 'never') to = limit;
        else if (this.tail - this.head > this.holdChars) to = this.tail - Math.floor(this.holdChars / 2);
        else return;
        if (to <= this.head) return;
        this.feed(to);
      }
    } finally {
      this.pumping = false;
      this.accept();
    }
  }

  /** Reports characters accepted: everything handed to xterm or skipped, and held output within holdChars. */
  private accept(): void {
    if (this.disposed) return;
    const to = Math.min(this.tail, this.head + this.holdChars);
    if (to > this.acceptedTo) {
      const chars = to - this.acceptedTo;
      this.acceptedTo = to;
      this.acceptedListeners.emit(chars);
    }
  }

  /**
   * Fast-forward: skips held output that will scroll out of the whole scrollback, if the rule
   * allows it (see the class comment). 'wait': not yet, more output may allow it; 'never': the held
   * output before `limit` must be parsed.
   */
  private trySkip(limit: number): 'skipped' | 'wait' | 'never' {
    const scan = this.scan;
    if (scan.pos < this.head) scan.restart(this.head);
    if (scan.blocked < 0) this.scanHeld();
    const open = scan.blocked < 0 && limit >= this.tail;
    const runEnd = Math.min(scan.blocked >= 0 ? scan.blocked : scan.pos, limit);
    const lines = upperBound(scan.lfEnd, runEnd);
    const keep = this.scrollback + 2 * this.terminal.rows + SKIP_MARGIN_LINES;
    let last = lines - keep - 1;
    while (last >= 0 && !scan.lfAfterCr[last]) last--;
    // Held lines are bounded too: past keep + 2 × MIN_SKIP_LINES with no boundary (lines ending
    // in a bare LF), they are parsed.
    if (last + 1 < MIN_SKIP_LINES) return open && lines < keep + 2 * MIN_SKIP_LINES ? 'wait' : 'never';
    if (!this.canSkip()) return 'never';
    const end = scan.lfEnd[last] as number;
    const pen = this.penAt(end, Math.max(MAX_REPLAY_CHARS, (end - this.head) >> 3));
    if (pen === undefined) return 'never';
    const replay = '\r' + pen;
    this.skipped += end - this.head;
    this.skips += 1;
    this.dropTo(end);
    scan.dropBefore(end);
    this.pendingWrites += 1;
    this.terminal.write(replay, this.written);
    return 'skipped';
  }

  /**
   * The SGR sequences that set the pen at stream position `end` of the scanned (simple) held output:
   * those since the last full reset (ESC[m, ESC[0m, ESC[0;…m) before it, or all since the parse
   * position, on top of xterm's pen, if none reset it. undefined if that is longer than maxChars.
   */
  private penAt(end: number, maxChars: number): string | undefined {
    // No SGR sequence since the parse position (a plain flood): xterm's pen is the pen.
    if (this.scan.lastSgr < this.head) return '';
    const parts: string[] = [];
    let chars = 0;
    // Backwards through the held chunks: in simple text every ESC starts an SGR sequence.
    for (let index = this.chunkAt(end - 1); index >= this.first; index--) {
      const queued = this.queue[index] as Queued;
      const data = queued.chunk.data;
      let to = Math.min(end, queued.start + data.length) - queued.start;
      const from = Math.max(this.head, queued.start) - queued.start;
      for (;;) {
        const at = to > from ? data.lastIndexOf('\x1b', to - 1) : -1;
        if (at < from) break;
        // A sequence cut by a chunk boundary: read it on from the following chunks.
        let sequence = data.slice(at, data.indexOf('m', at) + 1);
        if (!sequence.endsWith('m')) sequence = this.textAt(queued.start + at, MAX_SGR_CHARS + 1).replace(/m[\s\S]*$/, 'm');
        parts.push(sequence);
        chars += sequence.length;
        if (chars > maxChars) return undefined;
        const params = sequence.slice(2, -1);
        if (params === '' || params === '0' || params.startsWith('0;')) return parts.reverse().join('');
        to = at;
      }
    }
    return parts.reverse().join('');
  }

  /** Up to `length` held characters from stream position `pos` on. */
  private textAt(pos: number, length: number): string {
    let text = '';
    for (let index = this.chunkAt(pos); index < this.queue.length && text.length < length; index++) {
      const queued = this.queue[index] as Queued;
      text += queued.chunk.data.slice(Math.max(0, pos - queued.start), Math.max(0, pos - queued.start) + length - text.length);
    }
    return text;
  }

  /** Whether xterm is in a state the skip rule allows: normal buffer, no scroll region, parser at rest. */
  private canSkip(): boolean {
    return xtermAllowsSkip(this.terminal);
  }

  /** Scans held output from where the scan stopped, until the end or the first non-simple character. */
  private scanHeld(): void {
    const scan = this.scan;
    let index = this.chunkAt(scan.pos);
    while (scan.blocked < 0 && scan.pos < this.tail) {
      const queued = this.queue[index];
      if (!queued) break;
      const data = queued.chunk.data;
      const end = queued.start + data.length;
      if (scan.pos >= end) {
        index++;
        continue;
      }
      const offset = scan.pos - queued.start;
      const before = scan.pos;
      // A sequence cut by the chunk's end is scanned again with the next chunk joined to it.
      const next = this.queue[index + 1];
      const text = offset === 0 ? data : data.slice(offset);
      scan.feed(text, before);
      if (scan.blocked >= 0) break;
      if (scan.pos < end) {
        if (!next) break;
        const partial = data.slice(scan.pos - queued.start);
        const joined = partial + next.chunk.data.slice(0, MAX_SGR_CHARS);
        const at = scan.pos;
        scan.feed(joined, at);
        if (scan.blocked >= 0) break;
        if (scan.pos < at + joined.length && scan.pos === at) break;
        // Continue in the next chunk after what the joined scan covered.
        index++;
        continue;
      }
      index++;
    }
  }

  /** Index in the queue of the chunk holding stream position `pos`. */
  private chunkAt(pos: number): number {
    let low = this.first;
    let high = this.queue.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((this.queue[mid] as Queued).start <= pos) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Skipped output up to `end`: chunks wholly before it count as parsed. */
  private dropTo(end: number): void {
    while (this.first < this.queue.length) {
      const queued = this.queue[this.first] as Queued;
      if (queued.start + queued.chunk.data.length > end) break;
      this.first++;
      this.chunkDone(queued.chunk);
    }
    this.head = end;
    this.compact();
  }

  /** Hands held output up to stream position `to` to xterm. */
  private feed(to: number): void {
    while (this.head < to && this.first < this.queue.length) {
      const queued = this.queue[this.first] as Queued;
      const data = queued.chunk.data;
      const chunkEnd = queued.start + data.length;
      const end = Math.min(to, chunkEnd);
      const from = this.head - queued.start;
      const text = from === 0 && end === chunkEnd ? data : data.slice(from, end - queued.start);
      this.head = end;
      const whole = end === chunkEnd;
      if (whole) this.first++;
      this.writeText(text, whole ? queued.chunk : undefined);
    }
    this.compact();
    if (this.scan.blocked >= 0 && this.scan.blocked < this.head) this.scan.restart(this.head);
    else this.scan.dropBefore(this.head);
  }

  /** Lets go of chunks xterm has (their text is held by nothing else). */
  private compact(): void {
    if (this.first === this.queue.length) {
      this.queue = [];
      this.first = 0;
    } else if (this.first > 16 && this.first * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.first);
      this.first = 0;
    }
  }

  /**
   * Writes text into xterm. With an archive, rows must reach a block before xterm trims them: a
   * piece scrolls at most a few hundred rows, and the archive catches up after each one.
   */
  private writeText(data: string, completes: OutputChunk | undefined): void {
    const archive = this.serializer.archiving;
    if (archive) for (let i = 0; i + PIECE_CHARS < data.length; i += PIECE_CHARS) this.terminal.write(data.slice(i, i + PIECE_CHARS), this.archiveStep);
    const last = archive && data.length > PIECE_CHARS ? data.slice(Math.floor((data.length - 1) / PIECE_CHARS) * PIECE_CHARS) : data;
    this.pendingWrites += 1;
    this.terminal.write(last, () => {
      if (archive) this.archiveStep();
      if (completes) this.chunkDone(completes);
      this.written();
    });
  }

  private readonly written = (): void => {
    this.pendingWrites -= 1;
    if (this.pendingWrites === 0) this.pump();
  };

  private chunkDone(chunk: OutputChunk): void {
    if (this.disposed) return;
    this.parsed = chunk.seq;
    this.parsedListeners.emit(chunk);
  }

  private readonly archiveStep = (): void => {
    if (!this.disposed) this.serializer.archive();
  };

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
}

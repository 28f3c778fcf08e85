export interface OutputBatcherOptions {
  /** How long output gathers before it is passed on (VS Code's pty host uses 5 ms). */
  readonly intervalMs?: number;
  /** Largest piece passed on; a batch that reaches it is flushed at once, in pieces of this size. */
  readonly maxChunkChars?: number;
  /**
   * One timer for many batchers (every agent of a host): output of agents that arrives within the
   * same interval goes on in one turn (one socket write to the daemon, one timer), not one each.
   */
  readonly clock?: BatchClock;
  /**
   * The clock for output nobody is waiting for (see push's `lazy`): small redraws with no line feed
   * of an agent no console shows gather this long, so a spinner costs a few chunks a second.
   */
  readonly lazyClock?: BatchClock;
  /** The lazy clock's interval where a manager makes one (default DEFAULT_LAZY_INTERVAL_MS). */
  readonly lazyIntervalMs?: number;
}

export const DEFAULT_BATCH_INTERVAL_MS = 5;
/** How long small line-less output of an agent nobody watches may gather (a spinner: 2–3 redraws). */
export const DEFAULT_LAZY_INTERVAL_MS = 250;
/** A lazy batch that grows past this goes on at the normal pace. */
export const LAZY_MAX_CHARS = 4 * 1024;
// Fewer, larger frames under a flood: each chunk costs a frame, a mirror write and a relay scan.
export const DEFAULT_MAX_CHUNK_CHARS = 64 * 1024;

/** A timer shared by batchers: each that has output waiting is flushed when it fires. */
export class BatchClock {
  private readonly waiting = new Set<OutputBatcher>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = DEFAULT_BATCH_INTERVAL_MS) {}

  want(batcher: OutputBatcher): void {
    this.waiting.add(batcher);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  drop(batcher: OutputBatcher): void {
    if (!this.waiting.delete(batcher)) return;
    if (this.waiting.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Passes on every waiting batch now (the timer, or a read that must see all output so far). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batchers = [...this.waiting];
    this.waiting.clear();
    for (const batcher of batchers) batcher.flush();
  }
}

/** Cuts `data` into pieces of at most `max` UTF-16 units without splitting a surrogate pair. */
export function splitChunks(data: string, max: number): string[] {
  if (data.length <= max) return [data];
  const pieces: string[] = [];
  let start = 0;
  while (start < data.length) {
    let end = Math.min(start + max, data.length);
    const last = data.charCodeAt(end - 1);
    if (end < data.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(data.slice(start, end));
    start = end;
  }
  return pieces;
}

/**
 * Whether output can wait on the lazy clock: small, and nothing in it that completes something a
 * reader acts on. The relay reports a line at its line feed (and a block's `>>>` as soon as it is
 * printed), so output with neither completes no relay message; whatever it starts is completed by
 * later output that goes on at once, with this before it. Bracketed paste turned on or off (mode
 * 2004) or a reset (ESC c) goes on at once too: the relay wraps what it injects by that.
 */
const canWait = (data: string, pendingChars: number) =>
  pendingChars <= LAZY_MAX_CHARS && data.indexOf('\n') < 0 && data.indexOf('>') < 0 && data.indexOf('2004') < 0 && data.indexOf('\x1bc') < 0;

/**
 * Gathers pty output for a few milliseconds so consumers get fewer, larger messages; never holds
 * more than one chunk's worth, so memory stays bounded whatever the pty produces.
 */
export class OutputBatcher {
  private pending: string[] = [];
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly maxChunkChars: number;
  private readonly clock: BatchClock | undefined;
  private readonly lazyClock: BatchClock | undefined;
  /** Which clock this batch waits on: the normal one, or only the lazy one. */
  private waiting: 'no' | 'now' | 'lazy' = 'no';

  constructor(
    private readonly onChunk: (data: string) => void,
    options: OutputBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
    this.maxChunkChars = options.maxChunkChars ?? DEFAULT_MAX_CHUNK_CHARS;
    this.clock = options.clock;
    this.lazyClock = options.lazyClock;
  }

  /**
   * Output from the pty. `lazy`: nobody waits for this agent's output now (no console shows it and
   * nothing was typed or injected lately), so small line-less output may wait on the lazy clock.
   */
  push(data: string, lazy = false): void {
    if (data.length === 0) return;
    this.pending.push(data);
    this.pendingChars += data.length;
    if (this.pendingChars >= this.maxChunkChars) {
      this.flush();
    } else if (this.clock) {
      if (this.waiting === 'now') return;
      if (lazy && this.lazyClock && canWait(data, this.pendingChars)) {
        if (this.waiting === 'no') {
          this.waiting = 'lazy';
          this.lazyClock.want(this);
        }
        return;
      }
      // Anything else takes the batch (with what waited before it) on at the normal pace.
      this.waiting = 'now';
      this.clock.want(this);
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
    }
  }

  /** Passes on whatever is gathered now (also used before exit so nothing is left behind). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.waiting !== 'no') {
      this.waiting = 'no';
      this.clock?.drop(this);
      this.lazyClock?.drop(this);
    }
    if (this.pendingChars === 0) return;
    const data = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    for (const piece of splitChunks(data, this.maxChunkChars)) this.onChunk(piece);
  }

  get bufferedChars(): number {
    return this.pendingChars;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.clock?.drop(this);
    this.lazyClock?.drop(this);
    this.waiting = 'no';
    this.pending = [];
    this.pendingChars = 0;
  }
}

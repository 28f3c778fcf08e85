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
}

/** A timer shared by batchers: each that has output waiting is flushed when it fires. */
export class BatchClock {
  private readonly waiting = new Set<OutputBatcher>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly intervalMs = DEFAULT_BATCH_INTERVAL_MS) {}

  want(batcher: OutputBatcher): void {
    this.waiting.add(batcher);
    this.timer ??= setTimeout(() => this.fire(), this.intervalMs);
  }

  drop(batcher: OutputBatcher): void {
    this.waiting.delete(batcher);
    if (this.waiting.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private fire(): void {
    this.timer = undefined;
    const batchers = [...this.waiting];
    this.waiting.clear();
    for (const batcher of batchers) batcher.flush();
  }
}

export const DEFAULT_BATCH_INTERVAL_MS = 5;
// Fewer, larger frames under a flood: each chunk costs a frame, a mirror write and a relay scan.
export const DEFAULT_MAX_CHUNK_CHARS = 64 * 1024;

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

  constructor(
    private readonly onChunk: (data: string) => void,
    options: OutputBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_BATCH_INTERVAL_MS;
    this.maxChunkChars = options.maxChunkChars ?? DEFAULT_MAX_CHUNK_CHARS;
    this.clock = options.clock;
  }

  push(data: string): void {
    if (data.length === 0) return;
    this.pending.push(data);
    this.pendingChars += data.length;
    if (this.pendingChars >= this.maxChunkChars) {
      this.flush();
    } else if (this.clock) {
      if (this.pending.length === 1) this.clock.want(this);
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
    if (this.pendingChars === 0) return;
    this.clock?.drop(this);
    const data = this.pending.length === 1 ? (this.pending[0] as string) : this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    for (const piece of splitChunks(data, this.maxChunkChars)) this.onChunk(piece);
  }

  get bufferedChars(): number {
    return this.pendingChars;
  }

  dispose(): void {
    this.clock?.drop(this);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingChars = 0;
  }
}

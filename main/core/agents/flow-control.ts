export interface FlowTarget {
  pause(): void;
  resume(): void;
}

export interface FlowControlOptions {
  /** Unacknowledged characters at which the pty is paused (default 6,000,000; VS Code: 100,000). */
  readonly highWatermark?: number;
  /** Unacknowledged characters below which it is resumed (default 3,000,000; VS Code: 5,000). */
  readonly lowWatermark?: number;
}

/*
 * A console is remote (WebSocket or IPC, then xterm's parser and a frame), so an acknowledgement takes
 * tens of milliseconds to come back, and the page gathers a flood's output for up to 200 ms before it
 * parses it. VS Code's 100,000 / 5,000 drains the console before the pty resumes: a stop-and-wait that
 * ran the browser console at 0.15 of xterm's own speed; 1,000,000 / 400,000 still left the pipeline
 * idle, waiting for acknowledgements, once the daemon and host got cheap (ratio 0.33–0.39 against
 * xterm alone, with the machine half idle; 0.52–0.77 with 4,000,000 / 2,000,000, test/bench/terminal-performance.md).
 * Now the console gathers up to 4,000,000 characters of a flood while xterm parses, to skip what would
 * scroll out unseen (renderer/src/console/output-fast-forward.ts): the high mark leaves room for that
 * gather plus the write being parsed, so gathering never pauses the agent. It bounds what a console
 * holds (a few MB) and the output a Ctrl+C still has to scroll past (most of it skipped).
 */
export const DEFAULT_HIGH_WATERMARK = 6_000_000;
export const DEFAULT_LOW_WATERMARK = 3_000_000;

/**
 * Per-consumer acknowledgement accounting. The slowest consumer governs: the target is paused when
 * any consumer has more than the high watermark unacknowledged and resumed when all are below the
 * low one. With no consumers nothing holds the target paused.
 */
export class FlowController {
  private readonly unacked = new Map<string, number>();
  /** Consumers with watermarks of their own (the in-process mirror can be given more room). */
  private readonly limits = new Map<string, { high: number; low: number }>();
  private isPaused = false;
  private pauses = 0;
  private readonly high: number;
  private readonly low: number;

  constructor(
    private target: FlowTarget,
    options: FlowControlOptions = {},
  ) {
    this.high = options.highWatermark ?? DEFAULT_HIGH_WATERMARK;
    this.low = options.lowWatermark ?? DEFAULT_LOW_WATERMARK;
    if (!(this.low < this.high)) throw new RangeError('lowWatermark must be below highWatermark');
  }

  /** Points at a new pty (after a restart), carrying the paused state over. */
  retarget(target: FlowTarget): void {
    this.target = target;
    if (this.isPaused) target.pause();
  }

  addConsumer(id: string, initialUnacked = 0, limits?: { highWatermark: number; lowWatermark: number }): void {
    this.unacked.set(id, initialUnacked);
    if (limits) {
      if (!(limits.lowWatermark < limits.highWatermark)) throw new RangeError('lowWatermark must be below highWatermark');
      this.limits.set(id, { high: limits.highWatermark, low: limits.lowWatermark });
    }
    this.update();
  }

  removeConsumer(id: string): void {
    this.unacked.delete(id);
    this.limits.delete(id);
    this.update();
  }

  hasConsumer(id: string): boolean {
    return this.unacked.has(id);
  }

  /** Output of `chars` characters was handed to every consumer. */
  sent(chars: number): void {
    for (const [id, count] of this.unacked) this.unacked.set(id, count + chars);
    this.update();
  }

  /** Output handed to one consumer only. */
  sentTo(id: string, chars: number): void {
    const count = this.unacked.get(id);
    if (count === undefined) return;
    this.unacked.set(id, count + chars);
    this.update();
  }

  ack(id: string, chars: number): void {
    const count = this.unacked.get(id);
    if (count === undefined || !(chars > 0)) return;
    this.unacked.set(id, Math.max(0, count - chars));
    this.update();
  }

  unackedOf(id: string): number | undefined {
    return this.unacked.get(id);
  }

  get maxUnacked(): number {
    let max = 0;
    for (const count of this.unacked.values()) if (count > max) max = count;
    return max;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /** How many times the target has been paused, for tests and benchmarks. */
  get pauseCount(): number {
    return this.pauses;
  }

  private update(): void {
    let over = false;
    let allBelowLow = true;
    for (const [id, count] of this.unacked) {
      const limit = this.limits.get(id);
      if (count > (limit?.high ?? this.high)) over = true;
      if (count >= (limit?.low ?? this.low)) allBelowLow = false;
    }
    if (!this.isPaused && over) {
      this.isPaused = true;
      this.pauses += 1;
      this.target.pause();
    } else if (this.isPaused && allBelowLow) {
      this.isPaused = false;
      this.target.resume();
    }
  }
}

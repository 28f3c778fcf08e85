import type { TerminalSnapshot } from '../../../preload/contract';
import type { Bridge, TerminalChunk } from '../bridge';
import { fastForward } from './output-fast-forward';

/** What the session drives: an xterm, or anything that parses terminal data and says when it has. */
export interface TerminalSink {
  reset(): void;
  resize(cols: number, rows: number): void;
  /** `parsed` runs once the data has been parsed (xterm's write callback); bytes are UTF-8. */
  write(data: string | Uint8Array, parsed: () => void): void;
  /**
   * The scrollback and rows a fast-forward reads (output-fast-forward.ts), if the terminal's state
   * allows one now (normal buffer, no scroll region, parser at rest); undefined if not. Asked only
   * when everything written has been parsed. A sink without it never skips.
   */
  skipView?(): { scrollback: number; rows: number } | undefined;
  /** Told after each fast-forward: the session's totals so far. */
  fastForwarded?(totals: { bytes: number; skips: number }): void;
}

export type SessionState = { readonly kind: 'attaching' } | { readonly kind: 'live' } | { readonly kind: 'failed'; readonly code: string; readonly message: string };

/**
 * Acknowledge at least this often (in characters) while output streams; otherwise after a short wait.
 * Well below the daemon's low watermark (3,000,000), so the pty resumes while this console still has
 * output queued; in a flood every write is larger, so a flood costs one acknowledgement per write.
 */
const ACK_BATCH_CHARS = 128 * 1024;
// A timer, not requestAnimationFrame: frames stop in a hidden tab, and the agent would stall with them.
// Longer than the gap between small writes in a stream, so one acknowledgement covers several of them.
const ACK_DELAY_MS = 120;
/**
 * Output that arrives within this long of the last write is gathered and written together. A keystroke's
 * echo after a pause is written at once; under a flood xterm gets a few large writes a second and draws
 * a frame for each, instead of a frame for every small chunk (drawing is most of a flood's cost).
 */
const COALESCE_MS = 50;
/**
 * A stream of small redraws (a spinner, a TUI) is gathered for COALESCE_MS, never more than
 * MAX_GATHER_CHARS. In a flood (the last write was at least FLOOD_CHARS) output is gathered for
 * FLOOD_COALESCE_MS, so xterm draws about ten frames a second. A flood the console can fast-forward
 * (the last gather could be skipped from: normal buffer, no scroll region; see output-fast-forward.ts)
 * is gathered longer, for up to SKIP_COALESCE_MS or SKIP_GATHER_CHARS, and written as soon as it
 * pauses for SKIP_QUIET_MS (so the prompt after a long output shows at once): with a 10,000-line
 * scrollback only a gather of more than 10,000 lines has anything to skip. A full-screen program's
 * flood keeps ten frames a second. While xterm is still parsing, output waits until it is done,
 * whatever the timers say. What waits is unacknowledged: SKIP_GATHER_CHARS plus a write being parsed
 * (the part of a gather not skipped) fits in the 6,000,000 characters at which the daemon pauses the
 * agent.
 */
const FLOOD_CHARS = 64 * 1024;
const FLOOD_COALESCE_MS = 100;
const MAX_GATHER_CHARS = 512 * 1024;
const SKIP_COALESCE_MS = 200;
const SKIP_QUIET_MS = 25;
const SKIP_GATHER_CHARS = 4_000_000;

/**
 * One console's attachment to an agent's terminal: the snapshot first, then the live chunks after its
 * seq in order (chunks that arrive before the snapshot are held, older ones dropped), and
 * acknowledgements of what the sink has parsed, batched, for the daemon's flow control.
 */
export class TerminalSession {
  private lastSeq = -1;
  private held: TerminalChunk[] | undefined = [];
  private generation = 0;
  private unacked = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private suspended = false;
  private readonly offOutput: () => void;
  /** Output gathered for the next write, and its length as a string (what acknowledgements count). */
  private pending: Array<string | Uint8Array> = [];
  private pendingChars = 0;
  private pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  /** A flush came due while xterm was parsing: flush when it is done. */
  private flushWhenIdle = false;
  private lastWriteAt = -Infinity;
  private lastWriteChars = 0;
  /** The last gather was written where a fast-forward may skip (the sink's skipView said so). */
  private skippable = false;
  /** Writes the sink has not parsed yet (of any attachment): output waits meanwhile, and may be skipped. */
  private inFlight = 0;
  private skippedBytes = 0;
  private skips = 0;

  constructor(
    private readonly bridge: Bridge,
    readonly name: string,
    private readonly sink: TerminalSink,
    private readonly onState: (state: SessionState) => void,
  ) {
    this.offOutput = bridge.on('terminal.output', (chunk) => {
      if (chunk.name === this.name) this.receive(chunk);
    });
  }

  /** Attaches (again): the terminal is cleared and rebuilt from a fresh snapshot. */
  async attach(): Promise<void> {
    const generation = ++this.generation;
    this.suspended = false;
    this.held = [];
    this.unacked = 0;
    this.dropPending();
    this.onState({ kind: 'attaching' });
    let snapshot: TerminalSnapshot;
    try {
      snapshot = await this.bridge.call('terminal.attach', this.name);
    } catch (error) {
      if (generation !== this.generation || this.disposed) return;
      const e = error as { code?: string; message: string };
      this.onState({ kind: 'failed', code: e.code ?? 'internal', message: e.message });
      return;
    }
    if (generation !== this.generation || this.disposed) return;
    this.sink.reset();
    this.sink.resize(snapshot.cols, snapshot.rows);
    this.track(snapshot.data, () => undefined);
    this.lastSeq = snapshot.seq;
    const held = this.held ?? [];
    this.held = undefined;
    for (const chunk of held.sort((a, b) => a.seq - b.seq)) this.receive(chunk);
    this.onState({ kind: 'live' });
  }

  /**
   * Stops taking output (the page is hidden): the daemon forgets this console, so the agent never waits
   * for a page that draws nothing, and nothing is parsed meanwhile. attach() catches up from a snapshot.
   */
  suspend(): void {
    if (this.disposed || this.suspended) return;
    this.suspended = true;
    this.generation += 1; // writes still being parsed acknowledge nothing
    this.held = undefined;
    this.dropPending();
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.unacked = 0;
    this.bridge.call('terminal.detach', this.name).catch(() => undefined);
  }

  /** Output bytes skipped by fast-forwards (they would have scrolled out unseen), and how many skips. */
  get fastForwarded(): { bytes: number; skips: number } {
    return { bytes: this.skippedBytes, skips: this.skips };
  }

  /** Nothing waits: everything received is written and parsed. */
  get settled(): boolean {
    return this.inFlight === 0 && this.pending.length === 0;
  }

  /** Whether output is suspended (until the next attach). */
  get isSuspended(): boolean {
    return this.suspended;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.offOutput();
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.dropPending();
    this.bridge.call('terminal.detach', this.name).catch(() => undefined);
  }

  private receive(chunk: TerminalChunk): void {
    if (this.suspended) return;
    if (this.held) {
      this.held.push(chunk);
      return;
    }
    if (chunk.seq <= this.lastSeq) return;
    this.lastSeq = chunk.seq;
    const sinceWrite = Date.now() - this.lastWriteAt;
    const flood = this.lastWriteChars >= FLOOD_CHARS;
    const skipping = flood && this.skippable;
    const gather = skipping ? SKIP_COALESCE_MS : flood ? FLOOD_COALESCE_MS : COALESCE_MS;
    const chars = chunk.chars ?? chunk.data.length;
    if (this.pending.length === 0 && this.inFlight === 0 && sinceWrite >= gather) {
      this.write(chunk.data, chars);
      return;
    }
    this.pending.push(chunk.data);
    this.pendingChars += chars;
    if (this.pendingChars >= (skipping ? SKIP_GATHER_CHARS : MAX_GATHER_CHARS)) {
      this.flushPending();
      return;
    }
    this.pendingTimer ??= setTimeout(() => this.flushPending(), Math.max(0, gather - sinceWrite));
    if (skipping) {
      if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => this.flushPending(), SKIP_QUIET_MS);
    }
  }

  private flushPending(): void {
    this.clearTimers();
    // Still parsing: the write's callback flushes.
    if (this.inFlight > 0) {
      this.flushWhenIdle = true;
      return;
    }
    this.flushWhenIdle = false;
    const pieces = this.pending;
    let chars = this.pendingChars;
    const gathered = chars;
    this.pending = [];
    this.pendingChars = 0;
    if (pieces.length === 0 || this.disposed) return;
    let data = join(pieces);
    const view = typeof data === 'string' ? undefined : this.sink.skipView?.();
    this.skippable = view !== undefined;
    const skip = view && typeof data !== 'string' ? fastForward(data, view.scrollback, view.rows) : undefined;
    if (skip) {
      this.skippedBytes += skip.skippedBytes;
      this.skips += 1;
      this.sink.fastForwarded?.(this.fastForwarded);
      this.track(skip.replay, () => undefined);
      // Skipped is done with: acknowledged now, so the agent is not held up by what is never parsed.
      this.parsed(skip.skippedChars);
      chars -= skip.skippedChars;
      data = skip.rest;
    }
    this.write(data, chars);
    // The gather's size (not what is left of it after a skip) says whether a flood is under way.
    this.lastWriteChars = gathered;
  }

  private clearTimers(): void {
    if (this.pendingTimer !== undefined) clearTimeout(this.pendingTimer);
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.pendingTimer = undefined;
    this.quietTimer = undefined;
  }

  private dropPending(): void {
    this.clearTimers();
    this.flushWhenIdle = false;
    this.pending = [];
    this.pendingChars = 0;
  }

  private write(data: string | Uint8Array, chars: number): void {
    this.lastWriteAt = Date.now();
    this.lastWriteChars = chars;
    const generation = this.generation;
    this.track(data, () => {
      if (generation === this.generation && !this.disposed) this.parsed(chars);
    });
  }

  /** Writes to the sink, counting the write in flight until parsed; then flushes what gathered meanwhile. */
  private track(data: string | Uint8Array, parsed: () => void): void {
    this.inFlight += 1;
    this.sink.write(data, () => {
      this.inFlight -= 1;
      parsed();
      if (this.inFlight === 0 && this.flushWhenIdle && !this.disposed && !this.suspended) this.flushPending();
    });
  }

  private parsed(chars: number): void {
    this.unacked += chars;
    if (this.unacked >= ACK_BATCH_CHARS) this.flushAck();
    else if (this.ackTimer === undefined) this.ackTimer = setTimeout(() => this.flushAck(), ACK_DELAY_MS);
  }

  private flushAck(): void {
    if (this.ackTimer !== undefined) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    const chars = this.unacked;
    if (chars === 0 || this.disposed) return;
    this.unacked = 0;
    this.bridge.call('terminal.ack', this.name, chars).catch(() => undefined);
  }
}

/** One write of gathered pieces: all strings (the Node client) or all bytes (the page's transports). */
function join(pieces: ReadonlyArray<string | Uint8Array>): string | Uint8Array {
  if (pieces.length === 1) return pieces[0] as string | Uint8Array;
  if (pieces.every((piece): piece is string => typeof piece === 'string')) return pieces.join('');
  const encoder = new TextEncoder();
  const parts = pieces.map((piece) => (typeof piece === 'string' ? encoder.encode(piece) : piece));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

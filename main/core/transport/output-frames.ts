import { encodeTerminalFrameParts } from './terminal-frame.js';

/**
 * Terminal output to one WebSocket, in as few frames as keep it live. A chunk goes out in the same
 * turn of the event loop it arrived in (a small redraw waits for nothing), but chunks of one agent that
 * arrive in the same turn, or while the previous frame is still being written to the socket, are
 * joined into one frame (their bytes in order, the last seq, the sum of their lengths as strings for
 * the console's acknowledgements). Under a flood that makes fewer, larger frames: fewer writes for the
 * daemon and fewer messages for the browser to dispatch, for the same bytes.
 */

interface Pending {
  seq: number;
  chars: number;
  bytes: number;
  parts: Array<string | Uint8Array>;
}

export interface OutputFramesOptions {
  /**
   * Frames are joined up to this size; past it a frame goes out at once (default 256 KiB). Small
   * enough that encoding and writing one frame is a short task for the event loop when a console
   * falls behind and output gathers (1 MiB frames showed in the daemon's lag under a flood).
   */
  readonly maxFrameBytes?: number;
  /**
   * Runs the writes of several agents' frames that go out together, e.g. with the socket corked so
   * they leave in one system call (many agents' redraws arrive in the same turn).
   */
  readonly together?: (writes: () => void) => void;
}

export class OutputFrames {
  private readonly pending = new Map<string, Pending>();
  private pendingBytes = 0;
  private scheduled = false;
  private inFlight = 0;
  private closed = false;
  private readonly maxFrameBytes: number;
  private readonly together: OutputFramesOptions['together'];
  /** Frames written, for tests and benchmarks. */
  frames = 0;

  /** `write` sends one frame and calls `done` once the socket has taken it. */
  constructor(
    private readonly write: (frame: Buffer, done: () => void) => void,
    options: OutputFramesOptions = {},
  ) {
    this.maxFrameBytes = options.maxFrameBytes ?? 256 * 1024;
    this.together = options.together;
  }

  /** One chunk of `name`'s output: its seq, its string (for its length) and, when known, its UTF-8 bytes. */
  push(name: string, seq: number, data: string, bytes?: Uint8Array): void {
    if (this.closed) return;
    const part = bytes ?? data;
    const size = bytes ? bytes.length : Buffer.byteLength(data, 'utf8');
    const entry = this.pending.get(name);
    if (entry) {
      entry.seq = seq;
      entry.chars += data.length;
      entry.bytes += size;
      entry.parts.push(part);
    } else {
      this.pending.set(name, { seq, chars: data.length, bytes: size, parts: [part] });
    }
    this.pendingBytes += size;
    if (this.pendingBytes >= this.maxFrameBytes) this.flush();
    else this.schedule();
  }

  /** Writes what is pending now (also before any other message on the socket, to keep the order). */
  flush(): void {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending.clear();
    this.pendingBytes = 0;
    const writes = () => {
      for (const [name, entry] of entries) {
        this.inFlight += 1;
        this.frames += 1;
        this.write(encodeTerminalFrameParts(name, entry.seq, entry.chars, entry.bytes, entry.parts), this.written);
      }
    };
    if (entries.length > 1 && this.together) this.together(writes);
    else writes();
  }

  /** Drops what is pending; nothing is written any more. */
  close(): void {
    this.closed = true;
    this.pending.clear();
    this.pendingBytes = 0;
  }

  private readonly written = (): void => {
    this.inFlight -= 1;
    // The socket took the last frame: what gathered meanwhile goes now, as one frame per agent.
    if (this.inFlight === 0 && !this.scheduled) this.flush();
  };

  private schedule(): void {
    // While a frame is being written, its completion sends what gathers; otherwise the end of this turn.
    if (this.scheduled || this.inFlight > 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight === 0) this.flush();
    });
  }
}

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ListenerSet } from './listener-set.js';
import type { MirrorPort } from './mirror-port.js';
import type { OutputChunk, TerminalMirrorOptions, TerminalSnapshot } from './terminal-mirror.js';

/** Messages to the mirror worker; each names the mirror it is for. */
export type MirrorRequest =
  | { readonly op: 'open'; readonly id: number; readonly options: TerminalMirrorOptions }
  /** Chunks for several mirrors at once, in order (seq, data pairs per mirror id). */
  | { readonly op: 'write'; readonly writes: ReadonlyArray<MirrorWrite> }
  | { readonly op: 'resize'; readonly id: number; readonly cols: number; readonly rows: number }
  | { readonly op: 'read'; readonly id: number; readonly req: number; readonly what: MirrorRead }
  | { readonly op: 'close'; readonly id: number };

export type MirrorRead = 'snapshot' | 'flush' | 'screen' | 'logical-screen';

/** Chunks firstSeq to seq of one mirror, joined. */
export interface MirrorWrite {
  readonly id: number;
  readonly firstSeq: number;
  readonly seq: number;
  readonly data: string;
}

/** Messages from the mirror worker. */
export type MirrorEvent =
  /** Chunks parsed since the last report: per mirror, the last seq and the characters. */
  | { readonly op: 'parsed'; readonly parsed: ReadonlyArray<{ readonly id: number; readonly seq: number; readonly chars: number }> }
  | { readonly op: 'reply'; readonly req: number; readonly value: TerminalSnapshot | string[] | null }
  | { readonly op: 'error'; readonly req: number; readonly message: string };

/**
 * Small writes wait up to this long to travel to the worker together, each mirror's joined into one
 * write: a spinner redrawn ten times a second in ten agents costs a couple of messages and parses a
 * second, not a hundred. The mirror falls behind by that much; every read sends them first.
 */
export const MIRROR_WRITE_DELAY_MS = 500;
/** Queued characters that are sent at once (a flood's chunks go without delay). */
export const MIRROR_WRITE_NOW_CHARS = 64 * 1024;

/** The mirror worker's young generation (V8 resourceLimits), MB. */
export const MIRROR_YOUNG_GENERATION_MB = 12;

/** File name of the bundled worker, next to the bundle that runs the daemon. */
export const MIRROR_WORKER_FILE = 'terminal-mirror-worker.js';

/**
 * The built mirror worker beside this module, if the build produced one (dist/headless and
 * dist/electron); undefined when running from TypeScript sources, where mirrors stay in-thread.
 */
export function defaultMirrorWorker(): string | undefined {
  const candidate = fileURLToPath(new URL(`./${MIRROR_WORKER_FILE}`, import.meta.url));
  return fs.existsSync(candidate) ? candidate : undefined;
}

interface Pending {
  resolve(value: TerminalSnapshot | string[] | null): void;
  reject(error: Error): void;
}

/**
 * One worker thread that parses the output of every agent's mirror, so a flood's parsing and a
 * 10,000-line snapshot never block the daemon's event loop (VS Code keeps terminal state off the
 * window process for the same reason). Started with the first mirror, ended with the last.
 */
export class MirrorThread {
  private static readonly threads = new Map<string, MirrorThread>();
  private readonly worker: Worker;
  private readonly mirrors = new Map<number, RemoteMirror>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextReq = 1;
  private failure: Error | undefined;
  private stopping = false;
  private queued: Array<{ id: number; firstSeq: number; seq: number; data: string[] }> = [];
  /** Index in `queued` of each mirror's write, so its next chunk joins it. */
  private queuedBy = new Map<number, number>();
  private queuedChars = 0;
  private writeTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly file: string) {
    // A small young generation: the worker's garbage is short-lived strings, and V8's default
    // (up to 3 × 16 MB semi-spaces) stays resident; 12 MB costs no measurable parse time
    // (test/bench/mirror-costs.mjs, memory: 20 mirrors × 10,000 lines ~10 MB less RSS).
    this.worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: MIRROR_YOUNG_GENERATION_MB } });
    // The daemon exits when its own work is done; the worker is part of no shutdown.
    this.worker.unref();
    this.worker.on('message', (event: MirrorEvent) => this.receive(event));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The terminal mirror worker exited (code ${code}).`)));
  }

  /** The thread for `file`, started if none runs. */
  static for(file: string): MirrorThread {
    let thread = MirrorThread.threads.get(file);
    if (!thread || thread.failure || thread.stopping) {
      thread = new MirrorThread(file);
      MirrorThread.threads.set(file, thread);
    }
    return thread;
  }

  open(options: TerminalMirrorOptions): RemoteMirror {
    const id = this.nextId++;
    const mirror = new RemoteMirror(this, id, options);
    this.mirrors.set(id, mirror);
    this.post({ op: 'open', id, options });
    if (this.failure) queueMicrotask(() => mirror.failed(this.failure as Error));
    return mirror;
  }

  /** Every other request sends the queued writes first, so the worker sees everything in order. */
  post(request: Exclude<MirrorRequest, { op: 'write' }>): void {
    this.sendWrites();
    if (!this.failure) this.worker.postMessage(request);
  }

  /** Queues a chunk; it travels with others after a moment, or at once when the queue is large. */
  write(id: number, seq: number, data: string): void {
    if (this.failure) return;
    const at = this.queuedBy.get(id);
    const last = at === undefined ? undefined : this.queued[at];
    if (last && last.seq === seq - 1) {
      last.seq = seq;
      last.data.push(data);
    } else {
      this.queuedBy.set(id, this.queued.length);
      this.queued.push({ id, firstSeq: seq, seq, data: [data] });
    }
    this.queuedChars += data.length;
    if (this.queuedChars >= MIRROR_WRITE_NOW_CHARS) this.sendWrites();
    else if (!this.writeTimer) {
      this.writeTimer = setTimeout(() => this.sendWrites(), MIRROR_WRITE_DELAY_MS);
      this.writeTimer.unref();
    }
  }

  private sendWrites(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    if (this.queued.length === 0) return;
    const writes: MirrorWrite[] = this.queued.map(({ id, firstSeq, seq, data }) => ({ id, firstSeq, seq, data: data.length === 1 ? (data[0] as string) : data.join('') }));
    this.queued = [];
    this.queuedBy.clear();
    this.queuedChars = 0;
    if (!this.failure) this.worker.postMessage({ op: 'write', writes } satisfies MirrorRequest);
  }

  read(id: number, what: MirrorRead): Promise<TerminalSnapshot | string[] | null> {
    if (this.failure) return Promise.reject(this.failure);
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      this.post({ op: 'read', id, req, what });
    });
  }

  closed(id: number): void {
    if (!this.mirrors.delete(id)) return;
    if (this.queuedBy.delete(id)) {
      this.queued = this.queued.filter((write) => write.id !== id);
      this.queuedBy = new Map(this.queued.map((write, index) => [write.id, index]));
    }
    this.post({ op: 'close', id });
    if (this.mirrors.size === 0 && MirrorThread.threads.get(this.file) === this) {
      // No new mirror opens here; the worker ends once reads already asked are answered.
      MirrorThread.threads.delete(this.file);
      this.stopping = true;
      this.stopWhenIdle();
    }
  }

  private stopWhenIdle(): void {
    if (!this.stopping || this.pending.size > 0 || this.mirrors.size > 0 || this.failure) return;
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.failure = new Error('The terminal mirror worker was stopped.');
    void this.worker.terminate();
  }

  private receive(event: MirrorEvent): void {
    switch (event.op) {
      case 'parsed':
        for (const { id, seq, chars } of event.parsed) this.mirrors.get(id)?.parsed(seq, chars);
        return;
      case 'reply':
      case 'error': {
        const pending = this.pending.get(event.req);
        this.pending.delete(event.req);
        if (event.op === 'reply') pending?.resolve(event.value);
        else pending?.reject(new Error(event.message));
        this.stopWhenIdle();
        return;
      }
      default: {
        const unknown: never = event;
        throw new Error(`unknown mirror event ${JSON.stringify(unknown)}`);
      }
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    if (this.writeTimer) clearTimeout(this.writeTimer);
    this.queued = [];
    this.queuedBy.clear();
    if (MirrorThread.threads.get(this.file) === this) MirrorThread.threads.delete(this.file);
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    for (const mirror of this.mirrors.values()) mirror.failed(error);
  }
}

/** An agent's mirror living in the mirror worker; reads are answered there, in write order. */
export class RemoteMirror implements MirrorPort {
  private readonly parsedListeners = new ListenerSet<{ seq: number; chars: number }>();
  private readonly failedListeners = new ListenerSet<Error>();
  private cols_: number;
  private rows_: number;
  private written = 0;
  private parsedChars = 0;
  private disposed = false;
  private failure: Error | undefined;

  constructor(
    private readonly thread: MirrorThread,
    private readonly id: number,
    options: TerminalMirrorOptions,
  ) {
    this.cols_ = options.cols;
    this.rows_ = options.rows;
  }

  get cols(): number {
    return this.cols_;
  }
  get rows(): number {
    return this.rows_;
  }
  get backlogChars(): number {
    return this.written - this.parsedChars;
  }

  write(chunk: OutputChunk): void {
    if (this.disposed || this.failure) return;
    this.written += chunk.data.length;
    this.thread.write(this.id, chunk.seq, chunk.data);
  }

  onParsed(listener: (seq: number, chars: number) => void): () => void {
    return this.parsedListeners.on(({ seq, chars }) => listener(seq, chars));
  }

  onFailed(listener: (error: Error) => void): () => void {
    return this.failedListeners.on(listener);
  }

  resize(cols: number, rows: number): void {
    this.cols_ = cols;
    this.rows_ = rows;
    if (!this.disposed) this.thread.post({ op: 'resize', id: this.id, cols, rows });
  }

  snapshot(): Promise<TerminalSnapshot> {
    return this.read('snapshot') as Promise<TerminalSnapshot>;
  }
  async flush(): Promise<void> {
    await this.read('flush');
  }
  screenText(): Promise<string[]> {
    return this.read('screen') as Promise<string[]>;
  }
  logicalScreenText(): Promise<string[]> {
    return this.read('logical-screen') as Promise<string[]>;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.parsedListeners.clear();
    this.failedListeners.clear();
    this.thread.closed(this.id);
  }

  /** From the thread: chunks up to `seq` are parsed. */
  parsed(seq: number, chars: number): void {
    this.parsedChars += chars;
    this.parsedListeners.emit({ seq, chars });
  }

  /** From the thread: the worker is gone. */
  failed(error: Error): void {
    if (this.failure || this.disposed) return;
    this.failure = error;
    this.failedListeners.emit(error);
  }

  private read(what: MirrorRead): Promise<TerminalSnapshot | string[] | null> {
    if (this.disposed) return Promise.reject(new Error('The terminal mirror was closed before it could be read.'));
    if (this.failure) return Promise.reject(this.failure);
    return this.thread.read(this.id, what);
  }
}

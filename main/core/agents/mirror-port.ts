import { TerminalMirror, type OutputChunk, type TerminalMirrorOptions, type TerminalSnapshot } from './terminal-mirror.js';

/**
 * What an agent host needs from its terminal mirror, wherever the mirror runs: in this thread
 * (LocalMirror) or in the mirror worker (RemoteMirror, mirror-thread.ts). Every read answers for all
 * output written before it was asked, so a snapshot is exact at its seq.
 */
export interface MirrorPort {
  /** Size after the last resize asked for. */
  readonly cols: number;
  readonly rows: number;
  /** Characters written but not accepted yet (see TerminalMirror.onAccepted; the host's flow control counts them too). */
  readonly backlogChars: number;
  /** Queues a chunk; chunks must come in seq order. */
  write(chunk: OutputChunk): void;
  /**
   * Called as output is accepted (parsed, skipped, or held within holdChars): the mirror's
   * acknowledgement for flow control, with the seq of the last chunk parsed.
   */
  onParsed(listener: (seq: number, chars: number) => void): () => void;
  /** Called once if the mirror stops working (its worker died): it parses nothing more. */
  onFailed(listener: (error: Error) => void): () => void;
  resize(cols: number, rows: number): void;
  snapshot(): Promise<TerminalSnapshot>;
  /** Resolves when everything written so far is parsed. */
  flush(): Promise<void>;
  /** The visible screen as plain text, after everything written so far is parsed. */
  screenText(): Promise<string[]>;
  /** The same with wrapped lines joined, for prompt detection. */
  logicalScreenText(): Promise<string[]>;
  dispose(): void;
}

/** The mirror in this thread: its parsing shares the event loop with everything else. */
export class LocalMirror implements MirrorPort {
  private readonly mirror: TerminalMirror;
  private cols_: number;
  private rows_: number;

  constructor(options: TerminalMirrorOptions) {
    this.mirror = new TerminalMirror(options);
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
    return this.mirror.backlogChars;
  }
  write(chunk: OutputChunk): void {
    this.mirror.write(chunk);
  }
  onParsed(listener: (seq: number, chars: number) => void): () => void {
    return this.mirror.onAccepted((chars) => listener(this.mirror.parsedSeq, chars));
  }
  onFailed(): () => void {
    return () => undefined;
  }
  resize(cols: number, rows: number): void {
    this.cols_ = cols;
    this.rows_ = rows;
    this.mirror.resize(cols, rows);
  }
  snapshot(): Promise<TerminalSnapshot> {
    return this.mirror.snapshot();
  }
  flush(): Promise<void> {
    return this.mirror.flush();
  }
  async screenText(): Promise<string[]> {
    await this.mirror.flush();
    return this.mirror.screenText();
  }
  async logicalScreenText(): Promise<string[]> {
    await this.mirror.flush();
    return this.mirror.logicalScreenText();
  }
  dispose(): void {
    this.mirror.dispose();
  }
}

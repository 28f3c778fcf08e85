import type { Logger } from '../logging/logger.js';
import { MessageLog, sourceAtOrBefore, type HistoryFilter, type HistoryPage, type MessageSource, type RelayMessage } from './message-log.js';
import type { ParsedRelayMessage } from './relay-parser.js';
import { PasteModeTracker } from './paste-mode.js';
import { AT_LINE_START } from './line-state.js';
import { RelayParser, type RelayParserOptions, type ResumePoint } from './relay-parser.js';
import { systemClock, type Clock, type TargetDirectory } from './relay-target.js';
import { RelayRouter, type RelayEvent, type RouterOptions, type SendResult } from './router.js';

/**
 * The relay as the daemon uses it: one parser per agent fed with that agent's pty output, the router,
 * and the message log, wired together. The integrator calls `ingest` from each agent's data stream.
 */

export interface RelayHubOptions extends Pick<RouterOptions, 'humanQuietMs' | 'injectionSettleMs' | 'maxBytes' | 'ackWindowMs' | 'maxBatch'> {
  dataDir: string;
  directory: TargetDirectory;
  logger?: Logger;
  clock?: Clock;
  /** Parser settings applied to every agent (cols/rows are per agent, see `resize`). */
  parser?: Omit<RelayParserOptions, 'cols' | 'rows' | 'now' | 'onWarning'>;
  /** How long a terminal-wide line waits for a wrap continuation before it is read alone. */
  wrapHoldMs?: number;
  /** Off only for benchmarks that measure without the disk. */
  fsync?: boolean;
}

interface ParserEntry {
  parser: RelayParser;
  name: string;
  cancelFlush?: () => void;
  /** Where the last chunk fed came from, and how many messages were read at that place so far. */
  at?: { stream: string; seq: number; n: number };
}

/** Where a chunk of an agent's output comes from: its output stream (see MessageRecord.source) and seq. */
export interface ChunkSource {
  readonly stream: string;
  readonly seq: number;
}


export class RelayHub {
  readonly log: MessageLog;
  readonly router: RelayRouter;
  private readonly parsers = new Map<string, ParserEntry>();
  private readonly sizes = new Map<string, { cols: number; rows: number }>();
  /** Per agent (lower-case name): whether it has bracketed paste on, read from its output. */
  private readonly pasteModes = new Map<string, PasteModeTracker>();
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private readonly options: RelayHubOptions;

  private constructor(options: RelayHubOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger;
    this.log = MessageLog.open({ dataDir: options.dataDir, now: () => this.clock.now(), ...(options.logger ? { logger: options.logger } : {}), ...(options.fsync === false ? { fsync: false } : {}) });
    this.router = new RelayRouter({
      log: this.log,
      directory: options.directory,
      clock: this.clock,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.humanQuietMs !== undefined ? { humanQuietMs: options.humanQuietMs } : {}),
      ...(options.injectionSettleMs !== undefined ? { injectionSettleMs: options.injectionSettleMs } : {}),
      ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
      ...(options.ackWindowMs !== undefined ? { ackWindowMs: options.ackWindowMs } : {}),
      ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
      onInjected: (recipient, text) => this.entry(recipient).parser.noteInjected(text),
      bracketedPaste: (target) => target.acceptsBracketedPaste?.() ?? this.bracketedPaste(target.name),
    });
  }

  /** Opens the log (replaying it), recovers interrupted deliveries, and starts delivering. */
  static open(options: RelayHubOptions): RelayHub {
    const hub = new RelayHub(options);
    hub.router.start();
    return hub;
  }

  close(): void {
    for (const entry of this.parsers.values()) entry.cancelFlush?.();
    this.router.close();
    this.log.close();
  }

  /**
   * Feeds a chunk of `agent`'s pty output; relay lines in it are routed at once. With `source`, each
   * message is logged with where it was read, and a message read at or before the last place logged
   * for that stream is not routed again (output read a second time after a daemon restart).
   */
  ingest(agent: string, chunk: string | Uint8Array, source?: ChunkSource): void {
    // Escape sequences and message ids are ASCII: latin1 is enough to look for them in bytes.
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    this.pasteMode(agent).push(text);
    this.router.noteOutput(agent, text);
    const entry = this.entry(agent);
    if (source) {
      // One object per agent, not per chunk.
      if (entry.at) {
        entry.at.stream = source.stream;
        entry.at.seq = source.seq;
        entry.at.n = 0;
      } else {
        entry.at = { stream: source.stream, seq: source.seq, n: 0 };
      }
    }
    this.routeParsed(entry, entry.parser.push(chunk));
    if (entry.cancelFlush) {
      entry.cancelFlush();
      entry.cancelFlush = undefined;
    }
    if (entry.parser.holding) {
      entry.cancelFlush = this.clock.setTimer(() => {
        entry.cancelFlush = undefined;
        this.routeParsed(entry, entry.parser.flush());
      }, this.options.wrapHoldMs ?? 300);
    }
  }

  /**
   * Whether everything fed for `agent` so far has been read to the end: no line held for a possible
   * wrap and no block open. Output up to here never needs reading again.
   */
  atRest(agent: string): boolean {
    const entry = this.parsers.get(agent.toLowerCase());
    return !entry || (!entry.parser.holding && !entry.parser.open && !entry.cancelFlush);
  }

  /**
   * Where a next daemon's relay could take up `agent`'s output after what was fed so far, or undefined
   * while it could not (a line held for a wrap, a block or fence open, or a line under way that could
   * still become a relay line). Mid-line, `line` describes the line under way for that relay's
   * resumeLine: output acknowledged up to here may be let go even mid-line (a spinner's line never ends).
   */
  resumePoint(agent: string): ResumePoint | undefined {
    const entry = this.parsers.get(agent.toLowerCase());
    if (!entry) return AT_LINE_START;
    return this.atRest(agent) ? entry.parser.resumePoint() : undefined;
  }

  /**
   * Starts reading `agent`'s output in the middle of the line another daemon's relay described
   * (ResumePoint.line), so the rest of that line is read as its rest, not as a line of its own. Call
   * before its output is fed; false (and a warning) when the description cannot be used.
   */
  resumeLine(agent: string, line: string): boolean {
    const entry = this.entry(agent);
    const resumed = entry.parser.resumeLine(line);
    if (!resumed) this.logger?.warn('relay: could not take up the line the last daemon was reading; reading on from a line start', { agent: entry.name });
    return resumed;
  }

  private routeParsed(entry: ParserEntry, parsed: ReadonlyArray<ParsedRelayMessage>): void {
    if (parsed.length === 0) return;
    const at = entry.at;
    if (!at) {
      this.router.routeManyFromAgent(entry.name, parsed);
      return;
    }
    const last = this.log.lastSource(at.stream);
    const fresh: ParsedRelayMessage[] = [];
    const sources: MessageSource[] = [];
    for (const message of parsed) {
      const source = { stream: at.stream, seq: at.seq, n: at.n++ };
      if (last && sourceAtOrBefore(source, last)) {
        this.logger?.info('relay: a line read again after a restart was routed before; not again', { agent: entry.name, to: message.to, seq: source.seq });
        continue;
      }
      fresh.push(message);
      sources.push(source);
    }
    this.router.routeManyFromAgent(entry.name, fresh, sources);
  }

  /** Tells the parser the agent's terminal size (needed to join wrapped lines). */
  resize(agent: string, cols: number, rows: number): void {
    this.sizes.set(agent.toLowerCase(), { cols, rows });
    const entry = this.parsers.get(agent.toLowerCase());
    if (!entry) return;
    this.routeParsed(entry, entry.parser.resize(cols, rows));
  }

  /** Drops an agent's parser state, e.g. when its process restarts with a fresh screen. */
  resetAgent(agent: string): void {
    this.parsers.get(agent.toLowerCase())?.cancelFlush?.();
    this.parsers.delete(agent.toLowerCase());
    this.pasteModes.get(agent.toLowerCase())?.reset();
  }

  /** Whether `agent` has bracketed paste (mode 2004) on, as its output last said. */
  bracketedPaste(agent: string): boolean {
    return this.pasteModes.get(agent.toLowerCase())?.enabled ?? false;
  }

  /**
   * Fails what is still queued for agents that are not in the directory: call once the agents that
   * survive a daemon restart are back in it (messages are addressed to an agent, not a name).
   */
  failAbsentRecipients(reason?: string, keep?: ReadonlySet<string>): void {
    this.router.failAbsentRecipients(reason, keep);
  }

  /** Fails what waits for an agent (its id) that will not come back, with the reason. */
  failQueuedFor(agentId: string, code: string, reason: (name: string) => string): void {
    this.router.failQueuedFor(agentId, code, reason);
  }

  sendFromHuman(to: string, body: string): SendResult {
    return this.router.sendFromHuman(to, body);
  }

  get(id: string): RelayMessage | undefined {
    return this.log.get(id);
  }

  history(filter: HistoryFilter = {}): HistoryPage {
    return this.log.list(filter);
  }

  on(listener: (event: RelayEvent) => void): () => void {
    return this.router.on(listener);
  }

  private pasteMode(agent: string): PasteModeTracker {
    const key = agent.toLowerCase();
    let tracker = this.pasteModes.get(key);
    if (!tracker) {
      tracker = new PasteModeTracker();
      this.pasteModes.set(key, tracker);
    }
    return tracker;
  }

  private entry(agent: string): ParserEntry {
    const key = agent.toLowerCase();
    let entry = this.parsers.get(key);
    if (!entry) {
      const size = this.sizes.get(key);
      const name = this.options.directory.get(agent)?.name ?? agent;
      entry = {
        name,
        parser: new RelayParser({
          ...this.options.parser,
          ...(size ? { cols: size.cols, rows: size.rows } : {}),
          now: () => this.clock.now(),
          onWarning: (message) => this.logger?.warn(`relay parser (${name}): ${message}`),
        }),
      };
      this.parsers.set(key, entry);
    }
    return entry;
  }
}

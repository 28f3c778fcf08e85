import type { Result } from './agent-errors.js';
import type { AgentInfo, Attachment, TerminalConsumer } from './agent-host.js';
import type { AgentEvent } from './agent-manager.js';
import type { AgentSpecInput } from './agent-spec.js';
import type { ExitInfo } from './pty-session.js';
import type { ForegroundProgram } from './foreground-program.js';
import type { AgentStatus, StatusVerdict } from './status-detector.js';
import type { OutputChunk } from './terminal-mirror.js';

/**
 * One running agent as the daemon sees it, wherever its pty lives: in this process (AgentHost) or
 * in the terminal host process (a proxy over its socket). AgentHost satisfies it as it is.
 */
export interface AgentHandle {
  readonly name: string;
  readonly info: AgentInfo;
  readonly currentStatus: AgentStatus;
  readonly lastHumanInputAt: number | null;
  attach(consumer: TerminalConsumer): Promise<Attachment>;
  onStatus(listener: (change: { verdict: StatusVerdict; previous: StatusVerdict }) => void): () => void;
  onExit(listener: (exit: ExitInfo) => void): () => void;
  input(data: string): boolean;
  inject(data: string): boolean;
  resize(cols: number, rows: number): Result<{ cols: number; rows: number }>;
  screenText(): Promise<string[]>;
  /** The program keystrokes go to now, where the pty is in this process (the relay reads it by pid otherwise). */
  foregroundProgram?(): ForegroundProgram | null;
}

/** What the daemon remembers about an agent beside its spec (its account), kept where the pty lives. */
export type AgentMeta = Readonly<Record<string, string>>;

/** A line of an agent's scrollback that matched a search. */
export interface ScrollbackHit {
  readonly agent: string;
  /** Line number counted from the oldest line kept (0-based), and from the bottom (1 = the last line). */
  readonly line: number;
  readonly fromBottom: number;
  readonly text: string;
  readonly before: ReadonlyArray<string>;
  readonly after: ReadonlyArray<string>;
  /** Where the match starts and ends in text (UTF-16 units). */
  readonly start: number;
  readonly end: number;
}

export interface ScrollbackQuery {
  readonly text: string;
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
  readonly agent?: string;
  /** Lines of context before and after each hit (default 2). */
  readonly context?: number;
  /** Hits at most (default 500). */
  readonly limit?: number;
}

export interface ScrollbackResult {
  readonly hits: ScrollbackHit[];
  /** Lines searched, over every agent. */
  readonly lines: number;
  readonly truncated: boolean;
}

/**
 * Every agent by name: the interface the agent network uses. AgentManager is the in-process one;
 * the terminal host client (core/terminal-host) is the one whose agents outlive the daemon.
 */
export interface AgentRuntime {
  spawn(input: AgentSpecInput, meta?: AgentMeta): Result<AgentInfo> | Promise<Result<AgentInfo>>;
  list(): AgentInfo[];
  get(name: string): AgentHandle | undefined;
  has(name: string): boolean;
  names(): string[];
  kill(name: string): Promise<Result<ExitInfo>>;
  restart(name: string): Promise<Result<AgentInfo>>;
  remove(name: string): Promise<Result<void>>;
  onEvent(listener: (event: AgentEvent) => void): () => void;
  onOutput(listener: (output: { name: string; chunk: OutputChunk }) => void): () => void;
  /** What spawn was given as meta (for agents this daemon found running). */
  meta?(name: string): AgentMeta | undefined;
  /** Changes some of an agent's meta where it is kept (so a daemon that reattaches reads the new value). */
  updateMeta?(name: string, patch: AgentMeta): Promise<Result<void>>;
  /** Output of an agent found running that the relay has not read (a daemon died or was not there); once. */
  takeRelayBacklog?(name: string): OutputChunk[] | undefined;
  /** Where that backlog starts when it is mid-line: the line under way, as the last relay described it; once. */
  takeRelayLine?(name: string): string | undefined;
  /**
   * The relay has read `name`'s output up to seq to the end: the runtime need not keep it for the relay.
   * `line`: seq ended mid-line, and this is the line under way (RelayHub.resumePoint), kept for the next relay.
   */
  relayAck?(name: string, seq: number, line?: string): void;
  /** The stream `name`'s output seq numbers count within (they restart with a new terminal host). */
  relayStream?(name: string): string | undefined;
  /** Searches every agent's scrollback, where the scrollback lives. */
  search?(query: ScrollbackQuery): Promise<ScrollbackResult>;
  /** Stops every agent. */
  dispose(): Promise<void>;
  /** Lets go of the agents without stopping them (they keep running in the terminal host). */
  release?(): Promise<void>;
}

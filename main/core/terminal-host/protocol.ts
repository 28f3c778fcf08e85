/**
 * The terminal host's wire protocol: one JSON object per line over a loopback TCP socket, after a
 * hello that carries the per-run token. Versioned: a daemon speaks to a host whose major version it
 * knows; minor versions only add optional fields and operations.
 */
import type { AgentInfo } from '../agents/agent-host.js';
import type { AgentEvent } from '../agents/agent-manager.js';
import type { AgentMeta } from '../agents/agent-runtime.js';
import type { TerminalSnapshot } from '../agents/terminal-mirror.js';

/**
 * Minor 1: `meta` (change an agent's meta after spawn). Minor 2: the relay backlog (`relayAck`, and
 * each hosted agent's output the relay has not read to the end, in the welcome).
 */
export const PROTOCOL = { major: 1, minor: 2 } as const;

/** The most output per agent the host keeps for a relay that has not acknowledged it (oldest dropped). */
export const MAX_RELAY_BACKLOG_CHARS = 4 * 1024 * 1024;
export type ProtocolVersion = { readonly major: number; readonly minor: number };

/** Lines longer than this end the connection (a snapshot of 100,000 lines fits well below). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface HostedAgent {
  readonly info: AgentInfo;
  readonly meta: AgentMeta;
  /** The last output chunk so far; the stream continues with seq + 1. */
  readonly seq: number;
  /**
   * Output after the last chunk a daemon's relay acknowledged (`relayAck`), up to seq: what the relay
   * of a daemon that died, or was not there, has not read to the end. Absent from older hosts.
   */
  readonly relayBacklog?: ReadonlyArray<{ readonly seq: number; readonly data: string }>;
}

export type ClientMessage =
  | { readonly t: 'hello'; readonly token: string; readonly protocol: ProtocolVersion; readonly version: string }
  | { readonly t: 'req'; readonly id: number; readonly op: string; readonly args: unknown[] }
  | { readonly t: 'ack'; readonly aid: string; readonly chars: number }
  /** The daemon's relay has read `name`'s output up to seq to the end (and logged what it found). */
  | { readonly t: 'relayAck'; readonly name: string; readonly seq: number }
  | { readonly t: 'input'; readonly name: string; readonly data: string; readonly human: boolean };

export type HostMessage =
  | {
      readonly t: 'welcome';
      readonly protocol: ProtocolVersion;
      readonly version: string;
      readonly pid: number;
      readonly startedAt: string;
      readonly agents: HostedAgent[];
    }
  | { readonly t: 'refused'; readonly code: string; readonly message: string }
  | { readonly t: 'res'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'res'; readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly t: 'out'; readonly name: string; readonly seq: number; readonly data: string }
  | { readonly t: 'info'; readonly info: AgentInfo; readonly reason: string | null; readonly previous: string | null }
  | { readonly t: 'event'; readonly event: AgentEvent; readonly meta?: AgentMeta };

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AttachReply {
  readonly aid: string;
  readonly snapshot: TerminalSnapshot;
}

/** Splits a byte stream into lines, each parsed as JSON; a line too long or not JSON is an error. */
export class LineReader {
  private buffer = '';

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  push(text: string): void {
    this.buffer += text;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line) {
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          this.onError(new Error('The terminal host connection carried a line that is not JSON.'));
          return;
        }
        this.onMessage(message);
      }
      newline = this.buffer.indexOf('\n');
    }
    if (this.buffer.length > MAX_LINE_BYTES) this.onError(new Error('The terminal host connection carried a line that is too long.'));
  }
}

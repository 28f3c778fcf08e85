/**
 * The terminal host's wire protocol over a loopback TCP socket, after a hello that carries the
 * per-run token: one JSON object per line for control messages, and (from protocol 1.1, to a daemon
 * whose hello says 1.1 or later) terminal output as binary frames, so the bytes of a flood cross
 * without JSON or any escaping around them:
 *
 *   0x01 | u32 BE body length | u16 BE name length | name (UTF-8) | f64 BE seq | data (UTF-8)
 *
 * A JSON line never starts with 0x01, so a reader tells them apart by the first byte. Versioned: a
 * daemon speaks to a host whose major version it knows; minor versions only add optional fields,
 * operations and frames a daemon asks for.
 */
import type { AgentInfo } from '../agents/agent-host.js';
import type { AgentEvent } from '../agents/agent-manager.js';
import type { AgentMeta } from '../agents/agent-runtime.js';
import type { TerminalSnapshot } from '../agents/terminal-mirror.js';
import { withOutputBytes } from '../bridge/output-bytes.js';

/**
 * Minor 1: terminal output as binary frames (to a daemon whose hello says 1.1 or later) and `meta`
 * (change an agent's meta after spawn). Minor 2: the relay backlog (`relayAck`, and each hosted
 * agent's output the relay has not read to the end, in the welcome). Minor 3: a `relayAck` that falls
 * mid-line carries the line under way (`line`, opaque to the host), and the welcome gives it back with
 * the backlog that follows it (`relayLine`), so the next daemon reads that backlog as the rest of the
 * line. A host before 1.3 ignores `line` and sends no `relayLine`: the next daemon starts at a line start.
 */
export const PROTOCOL = { major: 1, minor: 3 } as const;

/** The longest `line` a relayAck may carry; an ack with a longer one (or one that is not a string) is ignored. */
export const MAX_RELAY_LINE_CHARS = 64 * 1024;

/** The most output per agent the host keeps for a relay that has not acknowledged it (oldest dropped). */
export const MAX_RELAY_BACKLOG_CHARS = 4 * 1024 * 1024;
export type ProtocolVersion = { readonly major: number; readonly minor: number };

/** Lines longer than this end the connection (a snapshot of 100,000 lines fits well below). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** The first byte of a binary output frame. */
export const FRAME_OUTPUT = 0x01;
const FRAME_HEAD = 5;
/** Output frames larger than this end the connection (a chunk is at most a few hundred KB). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Whether a daemon that said `protocol` in its hello reads binary output frames. */
export const readsOutputFrames = (protocol: ProtocolVersion | undefined): boolean =>
  !!protocol && (protocol.major > 1 || (protocol.major === 1 && protocol.minor >= 1));

/** One output chunk as a binary frame: one allocation, the data encoded straight into it. */
export function encodeOutputFrame(name: string, seq: number, data: string): Buffer {
  const nameBytes = Buffer.byteLength(name);
  const dataBytes = Buffer.byteLength(data);
  const body = 2 + nameBytes + 8 + dataBytes;
  const frame = Buffer.allocUnsafe(FRAME_HEAD + body);
  frame[0] = FRAME_OUTPUT;
  frame.writeUInt32BE(body, 1);
  frame.writeUInt16BE(nameBytes, 5);
  frame.write(name, 7, 'utf8');
  frame.writeDoubleBE(seq, 7 + nameBytes);
  frame.write(data, 15 + nameBytes, 'utf8');
  return frame;
}

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
  /**
   * The line under way where the last relayAck fell mid-line (its `line`), when relayBacklog (and the
   * output after it) follows that ack directly: the relay reads on from the middle of this line. From 1.3.
   */
  readonly relayLine?: string;
}

export type ClientMessage =
  | { readonly t: 'hello'; readonly token: string; readonly protocol: ProtocolVersion; readonly version: string }
  | { readonly t: 'req'; readonly id: number; readonly op: string; readonly args: unknown[] }
  | { readonly t: 'ack'; readonly aid: string; readonly chars: number }
  /**
   * The daemon's relay has read `name`'s output up to seq to the end (and logged what it found); from
   * 1.3, `line` when seq ends mid-line: the line under way, as the relay describes it (opaque here).
   */
  | { readonly t: 'relayAck'; readonly name: string; readonly seq: number; readonly line?: string }
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

export interface OutputFrame {
  readonly name: string;
  readonly seq: number;
  readonly data: string;
}

/**
 * Reads the host's stream: JSON lines (each parsed) and binary output frames (decoded without JSON),
 * split anywhere across reads. A part waiting for its end is kept as a list of reads and joined once
 * it is complete, so a large snapshot line costs one copy, not one per read. A line or frame too long,
 * or a line that is not JSON, is an error.
 */
export class WireReader {
  private parts: Buffer[] = [];
  private partsLength = 0;
  /** With parts kept: the bytes needed to go on (a frame), or -1 (a line: wait for a line feed). */
  private need = 0;
  private failed = false;

  constructor(
    private readonly onMessage: (message: unknown) => void,
    private readonly onFrame: (frame: OutputFrame) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.failed) return;
    let data = chunk;
    if (this.parts.length > 0) {
      this.parts.push(chunk);
      this.partsLength += chunk.length;
      if (this.need > 0 ? this.partsLength < this.need : chunk.indexOf(0x0a) < 0) {
        if (this.need < 0 && this.partsLength > MAX_LINE_BYTES) this.fail('The terminal host connection carried a line that is too long.');
        return;
      }
      data = Buffer.concat(this.parts, this.partsLength);
      this.parts = [];
      this.partsLength = 0;
      this.need = 0;
    }
    this.scan(data);
  }

  private keep(rest: Buffer, need: number): void {
    this.parts = [rest];
    this.partsLength = rest.length;
    this.need = need;
  }

  private fail(message: string): void {
    this.failed = true;
    this.parts = [];
    this.onError(new Error(message));
  }

  private scan(data: Buffer): void {
    let offset = 0;
    while (offset < data.length && !this.failed) {
      if (data[offset] === FRAME_OUTPUT) {
        if (data.length - offset < FRAME_HEAD) return this.keep(data.subarray(offset), FRAME_HEAD);
        const body = data.readUInt32BE(offset + 1);
        if (body > MAX_FRAME_BYTES || body < 10) return this.fail('The terminal host connection carried a frame that is too long or malformed.');
        const end = offset + FRAME_HEAD + body;
        if (data.length < end) return this.keep(data.subarray(offset), end - offset);
        const nameBytes = data.readUInt16BE(offset + 5);
        const dataStart = offset + 15 + nameBytes;
        if (dataStart > end) return this.fail('The terminal host connection carried a malformed frame.');
        // The data's bytes ride along (a view, no copy): a console gets them without encoding the string again.
        this.onFrame(
          withOutputBytes(
            {
              name: data.toString('utf8', offset + 7, offset + 7 + nameBytes),
              seq: data.readDoubleBE(offset + 7 + nameBytes),
              data: data.toString('utf8', dataStart, end),
            },
            data.subarray(dataStart, end),
          ),
        );
        offset = end;
        continue;
      }
      const newline = data.indexOf(0x0a, offset);
      if (newline < 0) {
        if (data.length - offset > MAX_LINE_BYTES) return this.fail('The terminal host connection carried a line that is too long.');
        return this.keep(data.subarray(offset), -1);
      }
      const line = data.toString('utf8', offset, newline);
      offset = newline + 1;
      if (!line.trim()) continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        return this.fail('The terminal host connection carried a line that is not JSON.');
      }
      this.onMessage(message);
    }
  }
}

/** Splits a text stream into lines, each parsed as JSON; a line too long or not JSON is an error. */
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

import net from 'node:net';
import { AgentError, type AgentErrorCode } from '../agents/agent-errors.js';
import { ListenerSet } from '../agents/listener-set.js';
import type { HostFileInfo } from './host-file.js';
import { WireReader, PROTOCOL, type HostMessage, type HostedAgent, type OutputFrame, type ProtocolVersion, type WireError } from './protocol.js';

/**
 * The daemon's end of the terminal host's socket: the hello and welcome, requests with replies, the
 * host's messages and its output frames. TerminalHostClient (host-client.ts) builds the agents on it.
 */

/** How long small console acknowledgements wait to go to the host together. */
export const ACK_HOLD_MS = 100;
/** Acknowledged characters of one attachment that go to the host at once (half the page's 64 KB step). */
export const ACK_FORWARD_CHARS = 32 * 1024;


const toAgentError = (error: WireError): AgentError => new AgentError(error.code as AgentErrorCode, error.message, error.details ?? {});

export class HostUnavailableError extends Error {
  readonly code = 'terminal_host_unavailable';
}

export interface Welcome {
  readonly protocol: ProtocolVersion;
  readonly version: string;
  readonly pid: number;
  readonly startedAt: string;
  readonly agents: HostedAgent[];
}

/** One authenticated connection to a terminal host: requests with replies, and the host's stream. */
export class HostConnection {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private closed = false;
  private readonly closeListeners = new ListenerSet<Error | undefined>();
  /** Terminal output, from binary frames (protocol 1.1) or JSON `out` lines (an older host). */
  readonly output = new ListenerSet<OutputFrame>();
  /** Console acknowledgements not yet sent to the host, per attachment (see ack). */
  private readonly acks = new Map<string, number>();
  private ackTimer: NodeJS.Timeout | undefined;
  /** Names this host's run (its pid and start), the stream its agents' output seq numbers count in. */
  readonly stream: string;

  private constructor(
    private readonly socket: net.Socket,
    readonly welcome: Welcome,
    readonly file: HostFileInfo,
    private readonly onMessage: ListenerSet<HostMessage>,
  ) {
    this.stream = `${welcome.pid}@${welcome.startedAt}`;
    socket.on('close', () => {
      this.closed = true;
      if (this.ackTimer) clearTimeout(this.ackTimer);
      this.ackTimer = undefined;
      this.acks.clear();
      const error = new HostUnavailableError('The terminal host connection closed.');
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
      this.closeListeners.emit(undefined);
    });
    onMessage.on((message) => {
      if (message.t === 'out') this.output.emit(message);
      if (message.t !== 'res') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(toAgentError(message.error));
    });
  }

  /** Connects with the file's port and token; resolves once the host has welcomed us. */
  static open(file: HostFileInfo, version: string, timeoutMs = 5_000): Promise<HostConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: file.port });
      socket.setNoDelay(true);
      const messages = new ListenerSet<HostMessage>();
      let connection: HostConnection | undefined;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new HostUnavailableError('The terminal host did not answer in time.'));
      }, timeoutMs);
      const reader = new WireReader(
        (raw) => {
          const message = raw as HostMessage;
          if (connection) {
            messages.emit(message);
            return;
          }
          clearTimeout(timer);
          if (message.t === 'welcome') {
            connection = new HostConnection(socket, message, file, messages);
            resolve(connection);
          } else {
            socket.destroy();
            reject(new HostUnavailableError(message.t === 'refused' ? message.message : 'The terminal host answered something unexpected.'));
          }
        },
        // Output frames: the host sends them only after the welcome, so a connection is there.
        (frame) => connection?.output.emit(frame),
        (error) => {
          socket.destroy();
          if (!connection) reject(error);
        },
      );
      socket.on('data', (bytes: Buffer) => reader.push(bytes));
      socket.on('error', (error) => {
        clearTimeout(timer);
        if (!connection) reject(new HostUnavailableError(`The terminal host is not reachable: ${error.message}`));
      });
      socket.on('connect', () => socket.write(`${JSON.stringify({ t: 'hello', token: file.token, protocol: PROTOCOL, version })}\n`));
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  on(listener: (message: HostMessage) => void): () => void {
    return this.onMessage.on(listener);
  }

  onClose(listener: () => void): () => void {
    return this.closeListeners.on(listener);
  }

  request<T>(op: string, args: unknown[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new HostUnavailableError('The terminal host connection is closed.'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ t: 'req', id, op, args })}\n`);
    });
  }

  send(message: { t: 'ack'; aid: string; chars: number } | { t: 'input'; name: string; data: string; human: boolean } | { t: 'relayAck'; name: string; seq: number; line?: string }): void {
    if (!this.closed) this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /**
   * A console acknowledged `chars` of an attachment's output. Small acknowledgements (a spinner's
   * redraw, acknowledged each) gather for up to ACK_HOLD_MS and go to the host together, in one write:
   * one wake-up of the host instead of one per console per redraw. Once an attachment has
   * ACK_FORWARD_CHARS waiting (a flood, acknowledged in 64 KB steps), everything goes at once, so flow
   * control (watermarks of hundreds of KB) sees them as before.
   */
  ack(aid: string, chars: number): void {
    if (this.closed || !(chars > 0)) return;
    const waiting = (this.acks.get(aid) ?? 0) + chars;
    this.acks.set(aid, waiting);
    if (waiting >= ACK_FORWARD_CHARS) this.flushAcks();
    else if (!this.ackTimer) {
      this.ackTimer = setTimeout(() => this.flushAcks(), ACK_HOLD_MS);
      this.ackTimer.unref();
    }
  }

  private flushAcks(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.acks.size === 0 || this.closed) return;
    let lines = '';
    for (const [aid, chars] of this.acks) lines += `${JSON.stringify({ t: 'ack', aid, chars })}\n`;
    this.acks.clear();
    this.socket.write(lines);
  }

  close(): void {
    this.flushAcks();
    this.socket.end();
  }

  /** Resolves when the socket has closed (after close() or the host's end). */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.onClose(() => resolve()));
  }
}

import net from 'node:net';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Logger } from '../logging/logger.js';
import { AgentError, type Result } from '../agents/agent-errors.js';
import type { Attachment } from '../agents/agent-host.js';
import { AgentManager, type AgentManagerOptions } from '../agents/agent-manager.js';
import type { AgentMeta, ScrollbackQuery } from '../agents/agent-runtime.js';
import type { AgentSpecInput } from '../agents/agent-spec.js';
import { LineReader, MAX_RELAY_BACKLOG_CHARS, MAX_RELAY_LINE_CHARS, PROTOCOL, encodeOutputFrame, readsOutputFrames, type AttachReply, type ClientMessage, type HostMessage, type HostedAgent, type WireError } from './protocol.js';
import { ScrollbackIndex } from './scrollback-index.js';
import { hostFilePath, removeHostFile, writeHostFile } from './host-file.js';

export interface TerminalHostOptions {
  readonly dataDir: string;
  readonly version: string;
  readonly logger: Logger;
  readonly agents?: Omit<AgentManagerOptions, 'logger'>;
  /** With no agent and no daemon connected for this long, the host ends (default 10 s). */
  readonly idleExitMs?: number;
  /** How often the host checks that its file is still there (a deleted data folder ends it). */
  readonly fileCheckMs?: number;
  /** Called once the host has stopped (the entry exits the process). */
  readonly onStopped?: () => void;
}

const tokensEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

const wireError = (error: unknown): WireError =>
  error instanceof AgentError
    ? { code: error.code, message: error.message, details: error.details }
    : { code: (error as { code?: string }).code ?? 'host_error', message: (error as Error).message ?? String(error) };

interface RelayBacklog {
  chunks: Array<{ seq: number; data: string }>;
  chars: number;
  warned: boolean;
  line?: { seq: number; text: string } | undefined;
  /** The first seq of the process running now (after a restart): a line from before it is not the one under way. */
  freshFrom: number;
}

interface Client {
  readonly socket: net.Socket;
  authed: boolean;
  /** The daemon reads binary output frames (its hello said protocol 1.1 or later). */
  frames: boolean;
  readonly attachments: Map<string, Attachment>;
  /** Writes are gathered until the end of this turn of the event loop (see write()). */
  corked: boolean;
}

/**
 * The terminal host: the agents' ptys and mirrors in a process of their own (VS Code's pty host),
 * so the daemon can stop, crash or be replaced while the agents keep running. Daemons connect
 * over loopback with the token from terminal-host.json and drive the agents through the protocol.
 */
export class TerminalHostServer {
  readonly manager: AgentManager;
  readonly index = new ScrollbackIndex((name) => this.scrollbackOf(name));
  private readonly meta = new Map<string, AgentMeta>();
  /**
   * Per agent: output the daemon's relay has not acknowledged yet, for the next daemon to read; and
   * where the last acknowledgement fell mid-line, the line under way then (the ack's `line`, at `seq`).
   */
  private readonly relayBacklogs = new Map<string, RelayBacklog>();
  private readonly clients = new Set<Client>();
  private readonly token = crypto.randomBytes(24).toString('hex');
  private readonly startedAt = new Date().toISOString();
  private server: net.Server | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private fileTimer: NodeJS.Timeout | undefined;
  private nextAttachment = 1;
  private stopping: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly options: TerminalHostOptions) {
    this.log = options.logger.child('terminal-host');
    this.manager = new AgentManager({ ...(options.agents ?? {}), logger: options.logger });
    this.manager.onOutput(({ name, chunk }) => {
      this.index.write(name, chunk.data);
      this.keepForRelay(name, chunk.seq, chunk.data);
      this.broadcastOutput(name, chunk.seq, chunk.data);
    });
    this.manager.onEvent((event) => {
      // Quiet now: what it printed is assembled into lines (compact) instead of waiting as output.
      if (event.type === 'status' && event.status !== 'working' && event.status !== 'starting') this.index.settle(event.name);
      // A fresh screen: what follows starts a line, whatever line an ack (even a late one) fell in before.
      if (event.type === 'restarted') {
        const backlog = this.relayBacklogs.get(event.agent.name);
        if (backlog) {
          backlog.line = undefined;
          backlog.freshFrom = (this.manager.get(event.agent.name)?.flowStats.lastSeq ?? 0) + 1;
        }
      }
      if (event.type === 'removed') {
        this.meta.delete(event.name);
        this.relayBacklogs.delete(event.name);
        this.index.forget(event.name);
      }
      const meta = event.type === 'spawned' ? this.meta.get(event.agent.name) : undefined;
      this.broadcast({ t: 'event', event, ...(meta ? { meta } : {}) });
      if (event.type === 'status' || event.type === 'exited') {
        const host = this.manager.get(event.name);
        if (host) this.broadcast({ t: 'info', info: host.info, reason: event.type === 'status' ? event.reason : null, previous: event.type === 'status' ? event.previous : null });
      }
      this.armIdle();
    });
  }

  async listen(): Promise<{ port: number; token: string }> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as net.AddressInfo).port;
    writeHostFile(this.options.dataDir, {
      pid: process.pid,
      port,
      token: this.token,
      protocol: PROTOCOL,
      version: this.options.version,
      startedAt: this.startedAt,
    });
    this.log.info('terminal host listening', { port, pid: process.pid, version: this.options.version });
    // The data folder gone (or the file replaced by a newer host): nobody can find these agents again.
    this.fileTimer = setInterval(() => {
      if (!fs.existsSync(hostFilePath(this.options.dataDir))) {
        this.log.warn('terminal-host.json is gone; stopping the agents and the host');
        void this.stop();
      }
    }, this.options.fileCheckMs ?? 2_000);
    this.fileTimer.unref();
    this.armIdle();
    return { port, token: this.token };
  }

  /** Stops every agent and the host. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.idleTimer) clearTimeout(this.idleTimer);
      if (this.fileTimer) clearInterval(this.fileTimer);
      await this.manager.dispose();
      for (const client of this.clients) client.socket.destroy();
      this.clients.clear();
      await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
      removeHostFile(this.options.dataDir);
      this.log.info('terminal host stopped');
      this.options.onStopped?.();
    })();
    return this.stopping;
  }

  private keepForRelay(name: string, seq: number, data: string): void {
    let backlog = this.relayBacklogs.get(name);
    if (!backlog) {
      backlog = { chunks: [], chars: 0, warned: false, freshFrom: 0 };
      this.relayBacklogs.set(name, backlog);
    }
    backlog.chunks.push({ seq, data });
    backlog.chars += data.length;
    while (backlog.chars > MAX_RELAY_BACKLOG_CHARS && backlog.chunks.length > 1) {
      backlog.chars -= backlog.chunks.shift()!.data.length;
      if (!backlog.warned) {
        backlog.warned = true;
        this.log.warn('no relay has read this agent\'s output for a long while; the oldest is no longer kept for it', { name });
      }
    }
  }

  private relayAck(name: string, seq: number, line: string | undefined): void {
    const backlog = this.relayBacklogs.get(name);
    if (!backlog) return;
    let drop = 0;
    while (drop < backlog.chunks.length && backlog.chunks[drop]!.seq <= seq) backlog.chars -= backlog.chunks[drop++]!.data.length;
    if (drop > 0) backlog.chunks.splice(0, drop);
    backlog.warned = false;
    // Each ack says where its relay stopped: at a line start (no line) or in the middle of `line`.
    backlog.line = line === undefined ? undefined : { seq, text: line };
  }

  /** The line the last ack fell in, if what is kept for the relay follows that ack directly (nothing dropped, no restart since). */
  private relayLine(name: string, backlog: RelayBacklog | undefined): string | undefined {
    const line = backlog?.line;
    if (!backlog || !line || line.seq < backlog.freshFrom) return undefined;
    const next = backlog.chunks[0]?.seq ?? this.manager.get(name)?.flowStats.lastSeq;
    const follows = backlog.chunks.length > 0 ? next === line.seq + 1 : next === line.seq;
    return follows ? line.text : undefined;
  }

  private scrollbackOf(name: string): number {
    const host = this.manager.get(name);
    return (host?.spec.scrollback ?? 10_000) + (host?.spec.rows ?? 50);
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.stopping || this.clients.size > 0 || this.manager.names().length > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.clients.size === 0 && this.manager.names().length === 0) {
        this.log.info('no agents and no daemon: the terminal host ends');
        void this.stop();
      }
    }, this.options.idleExitMs ?? 10_000);
  }

  private accept(socket: net.Socket): void {
    const client: Client = { socket, authed: false, frames: false, attachments: new Map(), corked: false };
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    const helloTimer = setTimeout(() => socket.destroy(), 5_000);
    const reader = new LineReader(
      (message) => this.receive(client, message as ClientMessage, () => clearTimeout(helloTimer)),
      (error) => {
        this.log.warn('closing a terminal host connection', { error: error.message });
        socket.destroy();
      },
    );
    socket.on('data', (text: string) => reader.push(text));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(helloTimer);
      for (const attachment of client.attachments.values()) attachment.detach();
      client.attachments.clear();
      if (this.clients.delete(client)) this.log.info('daemon disconnected');
      this.armIdle();
    });
  }

  /**
   * Everything written to a daemon in one turn of the event loop (the output of every agent whose
   * batch the shared clock flushed, their events) leaves in one write, at the end of the turn
   * (setImmediate: after this turn's I/O callbacks, before any timer), not one system call per chunk.
   */
  private write(client: Client, data: string | Buffer): void {
    const socket = client.socket;
    if (socket.destroyed) return;
    if (!client.corked) {
      client.corked = true;
      socket.cork();
      setImmediate(() => {
        client.corked = false;
        socket.uncork();
      });
    }
    socket.write(data);
  }

  private send(client: Client, message: HostMessage): void {
    this.write(client, `${JSON.stringify(message)}\n`);
  }

  private broadcast(message: HostMessage): void {
    if (this.clients.size === 0) return;
    const line = `${JSON.stringify(message)}\n`;
    for (const client of this.clients) this.write(client, line);
  }

  /** Output as a binary frame to daemons that read them, as a JSON line to older ones; each built once. */
  private broadcastOutput(name: string, seq: number, data: string): void {
    if (this.clients.size === 0) return;
    let frame: Buffer | undefined;
    let line: string | undefined;
    for (const client of this.clients) {
      if (client.socket.destroyed) continue;
      if (client.frames) this.write(client, (frame ??= encodeOutputFrame(name, seq, data)));
      else this.write(client, (line ??= `${JSON.stringify({ t: 'out', name, seq, data } satisfies HostMessage)}\n`));
    }
  }

  private receive(client: Client, message: ClientMessage, authed: () => void): void {
    if (!client.authed) {
      if (message?.t !== 'hello' || typeof message.token !== 'string' || !tokensEqual(message.token, this.token)) {
        this.send(client, { t: 'refused', code: 'unauthorized', message: 'The terminal host needs its token.' });
        client.socket.end();
        return;
      }
      // Any protocol version gets the welcome: list and shutdown stay the same in every version, so a
      // newer daemon can at least drain and replace an older host.
      authed();
      client.authed = true;
      client.frames = readsOutputFrames(message.protocol);
      this.clients.add(client);
      this.armIdle();
      this.log.info('daemon connected', { version: message.version });
      this.send(client, {
        t: 'welcome',
        protocol: PROTOCOL,
        version: this.options.version,
        pid: process.pid,
        startedAt: this.startedAt,
        agents: this.hosted(),
      });
      return;
    }
    switch (message.t) {
      case 'req':
        void this.request(client, message.id, message.op, Array.isArray(message.args) ? message.args : []);
        return;
      case 'ack':
        client.attachments.get(message.aid)?.ack(Number(message.chars) || 0);
        return;
      case 'relayAck':
        if (typeof message.name !== 'string' || !Number.isFinite(message.seq)) return;
        // A line that is not what a relay sends is refused with its ack: the output stays kept, nothing is let go.
        if (message.line !== undefined && (typeof message.line !== 'string' || message.line.length > MAX_RELAY_LINE_CHARS)) {
          this.log.warn('ignoring a relay acknowledgement with a malformed line', { name: message.name });
          return;
        }
        this.relayAck(message.name, message.seq, message.line);
        return;
      case 'input': {
        const host = this.manager.get(message.name);
        if (host && typeof message.data === 'string') {
          if (message.human) host.input(message.data);
          else host.inject(message.data);
        }
        return;
      }
      default:
        return;
    }
  }

  private hosted(): HostedAgent[] {
    return this.manager.names().flatMap((name) => {
      const host = this.manager.get(name);
      if (!host) return [];
      const backlog = this.relayBacklogs.get(name);
      const relayLine = this.relayLine(name, backlog);
      return [{ info: host.info, meta: this.meta.get(name) ?? {}, seq: host.flowStats.lastSeq, relayBacklog: [...(backlog?.chunks ?? [])], ...(relayLine !== undefined ? { relayLine } : {}) }];
    });
  }

  private async request(client: Client, id: number, op: string, args: unknown[]): Promise<void> {
    try {
      const value = await this.run(client, op, args);
      this.send(client, { t: 'res', id, ok: true, value: value ?? null });
    } catch (error) {
      this.send(client, { t: 'res', id, ok: false, error: wireError(error) });
    }
  }

  private agent(name: unknown) {
    const host = typeof name === 'string' ? this.manager.get(name) : undefined;
    if (!host) throw new AgentError('agent_not_found', `There is no agent named ${String(name)}.`, { name });
    return host;
  }

  private async run(client: Client, op: string, args: unknown[]): Promise<unknown> {
    const unwrap = <T>(result: Result<T>): T => {
      if (!result.ok) throw result.error;
      return result.value;
    };
    switch (op) {
      case 'list':
        return this.hosted();
      case 'spawn': {
        const [input, meta] = args as [AgentSpecInput, AgentMeta | undefined];
        if (input && typeof input.name === 'string' && meta && typeof meta === 'object') this.meta.set(input.name, { ...meta });
        const result = this.manager.spawn(input);
        if (!result.ok && input && typeof input.name === 'string' && !this.manager.has(input.name)) this.meta.delete(input.name);
        return unwrap(result);
      }
      case 'meta': {
        // Some of an agent's meta changed after spawn (e.g. accept-relay): kept for the next daemon.
        const name = this.agent(args[0]).name;
        const patch = args[1];
        if (!patch || typeof patch !== 'object') throw Object.assign(new Error('meta needs an object of strings.'), { code: 'invalid_request' });
        const strings = Object.fromEntries(Object.entries(patch as Record<string, unknown>).filter(([, value]) => typeof value === 'string')) as Record<string, string>;
        const meta = { ...(this.meta.get(name) ?? {}), ...strings };
        this.meta.set(name, meta);
        return meta;
      }
      case 'kill':
        return unwrap(await this.manager.kill(String(args[0])));
      case 'restart':
        this.index.write(String(args[0]), '\r\n');
        return unwrap(await this.manager.restart(String(args[0])));
      case 'remove':
        return unwrap(await this.manager.remove(String(args[0])));
      case 'resize':
        return unwrap(this.agent(args[0]).resize(Number(args[1]), Number(args[2])));
      case 'screen':
        return this.agent(args[0]).screenText();
      case 'attach': {
        const host = this.agent(args[0]);
        // Output reaches the daemon on the broadcast stream; this consumer carries flow control.
        const attachment = await host.attach({ data: () => undefined });
        attachment.start();
        const aid = `a${this.nextAttachment++}`;
        client.attachments.set(aid, attachment);
        return { aid, snapshot: attachment.snapshot } satisfies AttachReply;
      }
      case 'detach': {
        const aid = String(args[0]);
        client.attachments.get(aid)?.detach();
        client.attachments.delete(aid);
        return null;
      }
      case 'search':
        // Everything printed so far, also small redraws still gathering.
        this.manager.flushOutput();
        return this.index.search(args[0] as ScrollbackQuery, this.manager.names());
      case 'shutdown':
        // Reply first; the connection ends with the host.
        setImmediate(() => void this.stop());
        return { pid: process.pid, agents: this.manager.names().length };
      default:
        throw Object.assign(new Error(`The terminal host does not know the operation ${op}.`), { code: 'unknown_operation' });
    }
  }
}

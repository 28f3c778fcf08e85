import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging/logger.js';
import { AgentError, fail, ok, type Result } from '../agents/agent-errors.js';
import type { AgentInfo, Attachment, TerminalConsumer } from '../agents/agent-host.js';
import type { AgentEvent } from '../agents/agent-manager.js';
import type { AgentHandle, AgentMeta, AgentRuntime, ScrollbackQuery, ScrollbackResult } from '../agents/agent-runtime.js';
import type { AgentSpecInput } from '../agents/agent-spec.js';
import { ListenerSet } from '../agents/listener-set.js';
import { validateSize, type ExitInfo } from '../agents/pty-session.js';
import type { AgentStatus, StatusVerdict } from '../agents/status-detector.js';
import type { OutputChunk } from '../agents/terminal-mirror.js';
import { readHostFile } from './host-file.js';
import { processAlive } from '../base/process.js';
import { HostConnection, HostUnavailableError } from './host-connection.js';
import { PROTOCOL, type AttachReply, type HostMessage, type OutputFrame, type ProtocolVersion } from './protocol.js';

export { HostConnection, HostUnavailableError } from './host-connection.js';

export const HOST_ENTRY_FILE = 'terminal-host.js';

/** The built host entry beside this bundle (dist/headless or dist/electron), if built. */
export function defaultHostEntry(): string | undefined {
  const candidate = fileURLToPath(new URL(`./${HOST_ENTRY_FILE}`, import.meta.url));
  return fs.existsSync(candidate) ? candidate : undefined;
}

interface ConsumerEntry {
  readonly consumer: TerminalConsumer;
  live: boolean;
  /** Chunks up to here are in the snapshot; -1 until the host has answered. */
  after: number;
  held: OutputChunk[];
}

/** A hosted agent seen from the daemon: cached info, commands over the connection. */
class RemoteAgent implements AgentHandle {
  private readonly consumers = new Set<ConsumerEntry>();
  readonly statusListeners = new ListenerSet<{ verdict: StatusVerdict; previous: StatusVerdict }>();
  readonly exitListeners = new ListenerSet<ExitInfo>();
  private humanInputAt: number | null;
  /** When output last arrived here (kept apart from `current`: a chunk costs a number, not a copy of the info). */
  private outputAt: number | null = null;

  constructor(
    private current: AgentInfo,
    private readonly connection: () => HostConnection | undefined,
  ) {
    this.humanInputAt = current.lastHumanInputAt;
  }

  get name(): string {
    return this.current.name;
  }
  get info(): AgentInfo {
    return { ...this.current, lastOutputAt: this.lastOutputAt, lastHumanInputAt: this.humanInputAt };
  }
  get currentStatus(): AgentStatus {
    return this.current.status;
  }
  get lastHumanInputAt(): number | null {
    return this.humanInputAt;
  }
  get lastOutputAt(): number | null {
    return Math.max(this.current.lastOutputAt ?? 0, this.outputAt ?? 0) || null;
  }
  get running(): boolean {
    return this.current.status !== 'exited' && this.connection()?.open === true;
  }

  update(info: AgentInfo): void {
    this.current = { ...info, lastOutputAt: Math.max(info.lastOutputAt ?? 0, this.lastOutputAt ?? 0) || null };
  }

  status(status: AgentStatus, reason: string | null, previous: AgentStatus): void {
    this.current = { ...this.current, status, statusReason: reason };
    this.statusListeners.emit({ verdict: { status, ...(reason ? { reason } : {}) }, previous: { status: previous } });
  }

  exited(exit: ExitInfo): void {
    this.current = { ...this.current, status: 'exited', statusReason: null, pid: null, exit };
    for (const entry of this.consumers) if (entry.live) entry.consumer.exit?.(exit);
    this.exitListeners.emit(exit);
  }

  output(chunk: OutputChunk): void {
    this.outputAt = Date.now();
    if (this.consumers.size === 0) return;
    for (const entry of this.consumers) {
      if (entry.after >= 0 && chunk.seq <= entry.after) continue;
      if (entry.live) entry.consumer.data(chunk);
      else entry.held.push(chunk);
    }
  }

  async attach(consumer: TerminalConsumer): Promise<Attachment> {
    const connection = this.connection();
    if (!connection) throw new AgentError('terminal_unavailable', `The terminal of ${this.name} is not reachable: the terminal host is gone.`, { name: this.name });
    // Held from before the request: whatever the host sends after its snapshot is kept, the rest dropped.
    const entry: ConsumerEntry = { consumer, live: false, after: -1, held: [] };
    this.consumers.add(entry);
    let reply: AttachReply;
    try {
      reply = await connection.request<AttachReply>('attach', [this.name]);
    } catch (error) {
      this.consumers.delete(entry);
      throw error;
    }
    entry.after = reply.snapshot.seq;
    entry.held = entry.held.filter((chunk) => chunk.seq > reply.snapshot.seq);
    let detached = false;
    return {
      snapshot: reply.snapshot,
      start: () => {
        if (detached || entry.live) return;
        entry.live = true;
        const held = entry.held;
        entry.held = [];
        for (const chunk of held) consumer.data(chunk);
        if (this.current.exit && this.current.status === 'exited') consumer.exit?.(this.current.exit);
      },
      ack: (chars) => {
        if (!detached) this.connection()?.ack(reply.aid, chars);
      },
      detach: () => {
        if (detached) return;
        detached = true;
        this.consumers.delete(entry);
        void this.connection()
          ?.request('detach', [reply.aid])
          .catch(() => undefined);
      },
    };
  }

  onStatus(listener: (change: { verdict: StatusVerdict; previous: StatusVerdict }) => void): () => void {
    return this.statusListeners.on(listener);
  }

  onExit(listener: (exit: ExitInfo) => void): () => void {
    return this.exitListeners.on(listener);
  }

  input(data: string): boolean {
    if (!this.running) return false;
    this.humanInputAt = Date.now();
    this.connection()!.send({ t: 'input', name: this.name, data, human: true });
    return true;
  }

  inject(data: string): boolean {
    if (!this.running) return false;
    this.connection()!.send({ t: 'input', name: this.name, data, human: false });
    return true;
  }

  resize(cols: number, rows: number): Result<{ cols: number; rows: number }> {
    const size = validateSize(cols, rows);
    if (!size.ok) return size;
    this.current = { ...this.current, cols, rows };
    for (const entry of this.consumers) entry.consumer.resize?.(cols, rows);
    void this.connection()
      ?.request('resize', [this.name, cols, rows])
      .catch(() => undefined);
    return size;
  }

  async screenText(): Promise<string[]> {
    const connection = this.connection();
    if (!connection) throw new AgentError('terminal_unavailable', `The terminal of ${this.name} is not reachable: the terminal host is gone.`, { name: this.name });
    return connection.request<string[]>('screen', [this.name]);
  }

  dispose(): void {
    this.consumers.clear();
    this.statusListeners.clear();
    this.exitListeners.clear();
  }
}

export interface TerminalHostClientOptions {
  readonly dataDir: string;
  /** The daemon's version, said in the hello. */
  readonly version: string;
  readonly logger: Logger;
  /** The built host entry (terminal-host.js); without one, spawning agents fails clearly. */
  readonly entry?: string;
  /** The host's environment, which its agents inherit (the daemon withholds its secrets). */
  readonly env?: Readonly<Record<string, string>>;
  /** The executable that runs the entry (node; Electron runs it as node with ELECTRON_RUN_AS_NODE). */
  readonly execPath?: string;
  /** How long to wait for a freshly started host. */
  readonly startTimeoutMs?: number;
}

/**
 * The agent runtime whose ptys live in the terminal host process. Reattaches to a running host
 * (agents keep their pids, consoles their scrollback); starts one, detached, with the first agent.
 */
/**
 * V8 flags the terminal host always runs with: a small young generation, and `gc` for the mirror
 * worker to give back the heap a burst left once the agents are quiet (terminal-mirror-worker.ts).
 */
const HOST_NODE_FLAGS = '--max-semi-space-size=2 --expose-gc';

export class TerminalHostClient implements AgentRuntime {
  private connection: HostConnection | undefined;
  private connecting: Promise<HostConnection> | undefined;
  private readonly agents = new Map<string, RemoteAgent>();
  private readonly metas = new Map<string, AgentMeta>();
  /**
   * Per agent found running: output its relay has not read to the end (from the host), and what has
   * arrived since, until the relay takes it (takeRelayBacklog).
   */
  private readonly relayBacklogs = new Map<string, OutputChunk[]>();
  /** Per agent found running: the line under way where that backlog starts (the host's relayLine), if mid-line. */
  private readonly relayLines = new Map<string, string>();
  private readonly events = new ListenerSet<AgentEvent>();
  private readonly outputs = new ListenerSet<{ name: string; chunk: OutputChunk }>();
  private readonly log: Logger;
  private released = false;

  private constructor(private readonly options: TerminalHostClientOptions) {
    this.log = options.logger.child('terminal-host-client');
  }

  /**
   * Connects to the host this data folder's terminal-host.json names, if one runs and speaks our
   * protocol; otherwise the host starts with the first agent. A host of another protocol with no
   * running agent is shut down and replaced; one with running agents is an error (HostUnavailableError).
   */
  static async open(options: TerminalHostClientOptions): Promise<TerminalHostClient> {
    const client = new TerminalHostClient(options);
    const file = readHostFile(options.dataDir);
    if (file && processAlive(file.pid)) {
      let connection: HostConnection | undefined;
      try {
        connection = await HostConnection.open(file, options.version);
      } catch (error) {
        client.log.warn('a terminal host is recorded but does not answer; a new one will start', { pid: file.pid, error: (error as Error).message });
      }
      if (connection && connection.welcome.protocol.major !== PROTOCOL.major) {
        const running = connection.welcome.agents.filter((a) => a.info.status !== 'exited').length;
        if (running > 0) {
          connection.close();
          throw new HostUnavailableError(
            `The terminal host (pid ${file.pid}, version ${connection.welcome.version}) speaks protocol ${connection.welcome.protocol.major}, this daemon ${PROTOCOL.major}; ` +
              `its ${running} agent(s) keep running there. Stop them with \`agent-relay-desktop down\` to switch.`,
          );
        }
        client.log.info('replacing an idle terminal host of another protocol', { pid: file.pid, protocol: connection.welcome.protocol });
        await connection.request('shutdown').catch(() => undefined);
        await connection.whenClosed();
        connection = undefined;
      }
      if (connection) client.adopt(connection);
    }
    return client;
  }

  /** The connected host's pid and version, if any. */
  get host(): { pid: number; version: string; protocol: ProtocolVersion } | undefined {
    const c = this.connection;
    return c?.open ? { pid: c.welcome.pid, version: c.welcome.version, protocol: c.welcome.protocol } : undefined;
  }

  private adopt(connection: HostConnection): void {
    this.connection = connection;
    for (const hosted of connection.welcome.agents) {
      this.agents.set(hosted.info.name, new RemoteAgent(hosted.info, () => this.liveConnection()));
      this.metas.set(hosted.info.name, hosted.meta);
      if (hosted.relayBacklog) this.relayBacklogs.set(hosted.info.name, hosted.relayBacklog.map((chunk) => ({ seq: chunk.seq, data: chunk.data })));
      if (hosted.relayBacklog && typeof hosted.relayLine === 'string') this.relayLines.set(hosted.info.name, hosted.relayLine);
    }
    if (connection.welcome.agents.length) {
      this.log.info('reattached to the terminal host', { pid: connection.welcome.pid, version: connection.welcome.version, agents: connection.welcome.agents.length });
    }
    connection.on((message) => this.receive(message));
    connection.output.on((frame) => this.receiveOutput(frame));
    connection.onClose(() => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      if (this.released) return;
      this.log.error('the terminal host went away; its agents are gone', { pid: connection.welcome.pid });
      const at = Date.now();
      for (const agent of this.agents.values()) {
        if (agent.currentStatus === 'exited') continue;
        const exit: ExitInfo = { exitCode: -1, signal: null, signalName: 'terminal host ended', at };
        agent.exited(exit);
        this.events.emit({ type: 'exited', name: agent.name, exit });
      }
    });
  }

  private liveConnection(): HostConnection | undefined {
    return this.connection?.open ? this.connection : undefined;
  }

  private receiveOutput(frame: OutputFrame): void {
    // The frame is the chunk (it has its seq and data): no copy per chunk.
    if (this.relayBacklogs.size > 0) this.relayBacklogs.get(frame.name)?.push(frame);
    this.agents.get(frame.name)?.output(frame);
    if (this.outputs.size > 0) this.outputs.emit({ name: frame.name, chunk: frame });
  }

  private receive(message: HostMessage): void {
    switch (message.t) {
      case 'info':
        this.agents.get(message.info.name)?.update(message.info);
        return;
      case 'event': {
        const event = message.event;
        if (event.type === 'spawned') {
          this.agents.get(event.agent.name)?.dispose();
          this.agents.set(event.agent.name, new RemoteAgent(event.agent, () => this.liveConnection()));
          if (message.meta) this.metas.set(event.agent.name, message.meta);
        } else if (event.type === 'status') {
          this.agents.get(event.name)?.status(event.status, event.reason, event.previous);
        } else if (event.type === 'exited') {
          this.agents.get(event.name)?.exited(event.exit);
        } else if (event.type === 'restarted') {
          this.agents.get(event.agent.name)?.update(event.agent);
          // Its backlog (if not taken yet) now runs into a fresh screen: read from a line start.
          this.relayLines.delete(event.agent.name);
        } else if (event.type === 'removed') {
          this.agents.get(event.name)?.dispose();
          this.agents.delete(event.name);
          this.metas.delete(event.name);
          this.relayBacklogs.delete(event.name);
          this.relayLines.delete(event.name);
        }
        this.events.emit(event);
        return;
      }
      default:
        return;
    }
  }

  /** The connection, starting the host first when none runs. */
  private ensureHost(): Promise<HostConnection> {
    const live = this.liveConnection();
    if (live) return Promise.resolve(live);
    this.connecting ??= this.launch().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async launch(): Promise<HostConnection> {
    const entry = this.options.entry ?? defaultHostEntry();
    if (!entry) throw new HostUnavailableError('The terminal host is not built (terminal-host.js is missing beside the daemon): run the build.');
    // A small young generation: the host lives long with many agents' scrollback, and V8's default
    // semi-spaces (16 MB each) kept ~70 MB more for 20 agents × 10,000 lines at no CPU gain in a flood
    // (test/bench/terminal-performance.md). Benchmarks add flags with AGENT_RELAY_HOST_NODE_ARGS
    // (e.g. "--cpu-prof --cpu-prof-dir=DIR"); a later flag wins.
    const nodeArgs = [HOST_NODE_FLAGS, process.env.AGENT_RELAY_HOST_NODE_ARGS ?? ''].join(' ').split(' ').filter(Boolean);
    const child = spawn(this.options.execPath ?? process.execPath, [...nodeArgs, entry, '--data-dir', this.options.dataDir], {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
      env: { ...(this.options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
    });
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? code}`;
    });
    child.once('error', (error) => {
      exited = error.message;
    });
    child.unref();
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 15_000);
    for (;;) {
      const file = readHostFile(this.options.dataDir);
      if (file && file.pid === child.pid) {
        const connection = await HostConnection.open(file, this.options.version);
        this.adopt(connection);
        this.log.info('terminal host started', { pid: file.pid, port: file.port });
        return connection;
      }
      if (exited) throw new HostUnavailableError(`The terminal host could not start (${exited}); see logs/agent-relay.log.`);
      if (Date.now() > deadline) {
        child.kill();
        throw new HostUnavailableError('The terminal host did not start in time.');
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async spawn(input: AgentSpecInput, meta?: AgentMeta): Promise<Result<AgentInfo>> {
    let connection: HostConnection;
    try {
      connection = await this.ensureHost();
    } catch (error) {
      return fail(new AgentError('spawn_failed', (error as Error).message, { name: input.name }));
    }
    return this.call(() => connection.request<AgentInfo>('spawn', [input, meta ?? {}]));
  }

  private async call<T>(run: () => Promise<T>): Promise<Result<T>> {
    try {
      return ok(await run());
    } catch (error) {
      if (error instanceof AgentError) return fail(error);
      return fail(new AgentError('terminal_unavailable', (error as Error).message));
    }
  }

  private connected(name: string): HostConnection {
    const connection = this.liveConnection();
    if (!connection) throw new AgentError('agent_not_running', `${name} ran in a terminal host that has ended; remove it and start it again.`, { name });
    return connection;
  }

  list(): AgentInfo[] {
    return [...this.agents.values()].map((agent) => agent.info);
  }
  get(name: string): AgentHandle | undefined {
    return this.agents.get(name);
  }
  has(name: string): boolean {
    return this.agents.has(name);
  }
  names(): string[] {
    return [...this.agents.keys()];
  }
  meta(name: string): AgentMeta | undefined {
    return this.metas.get(name);
  }

  /**
   * What `name`'s relay has not read: its output since the last relayAck a daemon sent, up to now.
   * Once only: from then on the live output (onOutput) is all there is.
   */
  takeRelayBacklog(name: string): OutputChunk[] | undefined {
    const backlog = this.relayBacklogs.get(name);
    this.relayBacklogs.delete(name);
    return backlog;
  }

  /**
   * Where the output takeRelayBacklog gives starts, when that is in the middle of a line: the line as
   * the last daemon's relay described it (RelayHub.resumeLine takes it). Once, with the backlog.
   */
  takeRelayLine(name: string): string | undefined {
    const line = this.relayLines.get(name);
    this.relayLines.delete(name);
    return line;
  }

  /**
   * Tells the host the relay has read `name`'s output up to seq to the end: it need not keep it. With
   * `line`, seq ended mid-line and that is the line under way, for the next daemon (a host before
   * protocol 1.3 ignores it).
   */
  relayAck(name: string, seq: number, line?: string): void {
    this.liveConnection()?.send({ t: 'relayAck', name, seq, ...(line !== undefined ? { line } : {}) });
  }

  /**
   * Names the stream of `name`'s output (its seq numbers count within it): the terminal host's run.
   * A relay that logs where it read each message can tell output it has already read from new output.
   */
  relayStream(name: string): string | undefined {
    const connection = this.liveConnection();
    return connection && this.agents.has(name) ? connection.stream : undefined;
  }

  async updateMeta(name: string, patch: AgentMeta): Promise<Result<void>> {
    return this.call(async () => {
      const meta = await this.connected(name).request<AgentMeta>('meta', [name, patch]);
      this.metas.set(name, meta);
    });
  }

  kill(name: string): Promise<Result<ExitInfo>> {
    return this.call(() => this.connected(name).request<ExitInfo>('kill', [name]));
  }

  restart(name: string): Promise<Result<AgentInfo>> {
    return this.call(() => this.connected(name).request<AgentInfo>('restart', [name]));
  }

  async remove(name: string): Promise<Result<void>> {
    if (!this.liveConnection() && this.agents.has(name)) {
      // The host is gone: forgetting the agent is all there is to do.
      this.agents.get(name)?.dispose();
      this.agents.delete(name);
      this.events.emit({ type: 'removed', name });
      return ok(undefined);
    }
    return this.call(async () => {
      await this.connected(name).request('remove', [name]);
    });
  }

  async search(query: ScrollbackQuery): Promise<ScrollbackResult> {
    const connection = this.liveConnection();
    if (!connection) return { hits: [], lines: 0, truncated: false };
    return connection.request<ScrollbackResult>('search', [query]);
  }

  onEvent(listener: (event: AgentEvent) => void): () => void {
    return this.events.on(listener);
  }
  onOutput(listener: (output: { name: string; chunk: OutputChunk }) => void): () => void {
    return this.outputs.on(listener);
  }

  /** Stops every agent and the terminal host. */
  async dispose(): Promise<void> {
    const connection = this.liveConnection();
    this.released = true;
    if (connection) {
      await connection.request('shutdown').catch(() => undefined);
      await connection.whenClosed();
    }
    this.forget();
  }

  /** Lets go of the host: the agents keep running there for the next daemon. */
  async release(): Promise<void> {
    this.released = true;
    const connection = this.connection;
    this.connection = undefined;
    if (connection?.open) {
      connection.close();
      await connection.whenClosed();
    }
    this.forget();
  }

  private forget(): void {
    for (const agent of this.agents.values()) agent.dispose();
    this.agents.clear();
    this.relayBacklogs.clear();
    this.relayLines.clear();
    this.events.clear();
    this.outputs.clear();
  }
}

/** `down`: stops the terminal host this data folder names (and so every agent), without a daemon. */
export async function stopTerminalHost(dataDir: string, version: string): Promise<{ stopped: boolean; agents: number; pid?: number }> {
  const file = readHostFile(dataDir);
  if (!file || !processAlive(file.pid)) return { stopped: false, agents: 0 };
  const connection = await HostConnection.open(file, version);
  const reply = await connection.request<{ pid: number; agents: number }>('shutdown');
  await connection.whenClosed();
  const deadline = Date.now() + 10_000;
  while (processAlive(file.pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return { stopped: true, agents: reply.agents, pid: file.pid };
}
